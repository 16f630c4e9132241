import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonParam } from "../../fakes/slack/fake-slack.ts";
import { buildViewSubmissionPayload, type StateValue } from "../../fakes/slack/signed-request.ts";
import { webApi } from "@slack/bolt";
import { createMemberDirectory } from "../../../adapters/slack/member-directory.ts";
import { deliverReply } from "../../../adapters/slack/slash-command.ts";
import type { Reply } from "../../../src/core/reply.ts";
import { invocation } from "../../support/harness.ts";
import { holdableCore, type HoldableCore } from "../../support/held-core.ts";
import { BOT_TOKEN, startRig, textOf, type Rig } from "./support.ts";

interface OpenedView {
  callback_id: string;
  private_metadata: string;
  blocks: Array<{ type: string; block_id?: string }>;
}

const questionsIn = (rig: Rig) => (rig.h.snapshot()["questions"] as unknown[]).length;
const apologised = (rig: Rig) => rig.fake.responses.some((r) => /something went wrong/i.test(textOf(r.body)));
const text = (value: string): StateValue => ({ type: "plain_text_input", value });

describe("an outcome that comes after Slack's ack deadline", () => {
  let rig: Rig;
  let core: HoldableCore;
  beforeAll(async () => {
    // why: a short deadline, and a core the test holds past it; no test waits on the clock.
    rig = await startRig({ wrapCore: (c) => (core = holdableCore(c)), ackDeadlineMs: 50 });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it("is acked empty first, then answered through response_url, stored once, with no apology", async () => {
    const hold = core.hold();
    const sent = rig.command('ask "Will the plenary be webcast?" to:Secretariat');
    await hold.arrived;
    const ack = await sent;
    expect(ack.status).toBe(200);
    expect(ack.body).toBe("");
    expect(rig.fake.responsesTo(ack.responseId)).toEqual([]);
    expect(questionsIn(rig)).toBe(0);

    hold.release();
    const [reply, announcement] = await rig.responses(ack.responseId, 2);
    expect(reply?.body).toMatchObject({ response_type: "ephemeral" });
    expect(textOf(reply?.body)).toContain("Added Q1");
    expect(announcement?.body).toMatchObject({ response_type: "in_channel" });
    expect(textOf(announcement?.body)).toContain("asked Q1 of Secretariat");
    expect(questionsIn(rig)).toBe(1);
    expect(apologised(rig)).toBe(false);
  });

  it("closes a modal submitted past the deadline and replies through the command's response_url", async () => {
    const opens = rig.fake.callsTo("views.open").length;
    const command = await rig.command("ask");
    const call = await rig.fake.waitFor((c) => c.method === "views.open" && rig.fake.callsTo("views.open").indexOf(c) >= opens);
    const view = jsonParam(call, "view") as OpenedView;
    const submit = (fields: Record<string, StateValue>) =>
      rig.interact(buildViewSubmissionPayload({
        callback_id: view.callback_id, private_metadata: view.private_metadata, blocks: view.blocks,
        values: Object.fromEntries(Object.entries(fields).map(([block, v]) => [block, { value: v }])), user: { id: "U0ALICE", username: "alice", name: "alice" },
      }));
    const before = questionsIn(rig);

    // A refusal that comes late cannot go on the closed modal's fields: it comes as a reply, and nothing is stored.
    const refusing = core.hold();
    const refused = submit({ text: text("x".repeat(1001)) });
    await refusing.arrived;
    expect((await refused).body).toBe("");
    refusing.release();
    const [refusal] = await rig.responses(command.responseId, 1);
    expect(textOf(refusal?.body)).toContain("the limit is 1000");
    expect(questionsIn(rig)).toBe(before);

    const hold = core.hold();
    const submitted = submit({ text: text("Who chairs the plenary?"), to: text("ITU") });
    await hold.arrived;
    const ack = await submitted;
    expect(ack.status).toBe(200);
    expect(ack.body).toBe("");
    hold.release();
    const replies = await rig.responses(command.responseId, 3);
    expect(textOf(replies[1]?.body)).toContain(`Added Q${before + 1}`);
    expect(textOf(replies[2]?.body)).toContain("Who chairs the plenary?");
    expect(questionsIn(rig)).toBe(before + 1);
    expect(apologised(rig)).toBe(false);
  });
});

describe("an ack that fails because Slack's receiver gave up first", () => {
  let rig: Rig;
  let core: HoldableCore;
  beforeAll(async () => {
    // why: Docket's own deadline out of the way, so Bolt answers the request itself and the ack carrying the reply fails, as under load.
    rig = await startRig({ wrapCore: (c) => (core = holdableCore(c)), ackDeadlineMs: 600_000, receiverAckTimeoutMs: 50 });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it("sends the reply through response_url instead, and no apology, since the question was stored", async () => {
    const hold = core.hold();
    const sent = rig.command('ask "Is the final text public?" to:ITU');
    await hold.arrived;
    const gaveUp = await sent;
    expect(gaveUp.status).toBe(404);
    hold.release();
    const [reply, announcement] = await rig.responses(gaveUp.responseId, 2);
    expect(textOf(reply?.body)).toContain("Added Q1");
    expect(reply?.body).toMatchObject({ response_type: "ephemeral" });
    expect(textOf(announcement?.body)).toContain("asked Q1 of ITU");
    expect(questionsIn(rig)).toBe(1);
    expect(apologised(rig)).toBe(false);
    expect(rig.log.lines.some((l) => l.includes("the ack carrying the reply failed"))).toBe(true);
  });
});

describe("a reply for the whole channel whose ack failed", () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig?.close();
  });

  it("still goes out in the channel, through response_url", async () => {
    const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: rig.fake.url });
    const rt = { core: rig.h.core, log: rig.log, directory: createMemberDirectory({ log: rig.log }), responseUrls: () => true, ackDeadlineMs: 2500 };
    const target = { client, channelId: "C0GENERAL", userId: "U0ALICE", responseUrl: rig.fake.responseUrl("channel-reply") };
    const reply: Reply = { visibility: "channel", heading: "Docket digest", blocks: [{ kind: "text", text: "2 questions open" }] };
    const once = {
      done: false,
      async ack() {
        once.done = true;
        throw new Error("Bolt already answered this request");
      },
    };
    await deliverReply(target, reply, invocation(), once, rt);
    const [sent] = rig.fake.responsesTo("channel-reply");
    expect(sent?.body).toMatchObject({ response_type: "in_channel" });
    expect(textOf(sent?.body)).toContain("2 questions open");
  });
});
