import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonParam, type RecordedCall } from "../../fakes/slack/fake-slack.ts";
import { buildBlockActionsPayload, buildViewSubmissionPayload, type StateValue, type StateValues } from "../../fakes/slack/signed-request.ts";
import { digestDelivery, startRig, textOf, type Rig } from "./support.ts";

interface OpenedView {
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  blocks: Array<{ type: string; block_id?: string; text?: { text: string }; element?: { type: string; options?: Array<{ value: string }> } }>;
}

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

async function openedView(after: number): Promise<{ call: RecordedCall; view: OpenedView }> {
  const call = await rig.fake.waitFor((c) => c.method === "views.open" && rig.fake.callsTo("views.open").indexOf(c) >= after);
  return { call, view: jsonParam(call, "view") as OpenedView };
}

const text = (value: string): StateValue => ({ type: "plain_text_input", value });
const date = (selected: string): StateValue => ({ type: "datepicker", selected_date: selected });
const option = (value: string): StateValue => ({ type: "static_select", selected_option: { text: { type: "plain_text", text: value, emoji: false }, value } });
const checked = (value: string): StateValue => ({ type: "checkboxes", selected_options: [{ text: { type: "plain_text", text: value }, value }] });
const values = (fields: Record<string, StateValue>): StateValues => Object.fromEntries(Object.entries(fields).map(([block, v]) => [block, { value: v }]));

/** Submits a modal as the member `user` (U0ALICE is alice); the names in Docket's lines come from this payload, as ask and answer need no users.info. */
function submit(view: OpenedView, fields: Record<string, StateValue>, user = "U0ALICE") {
  const name = user.replace(/^U0/, "").toLowerCase();
  return rig.interact(
    buildViewSubmissionPayload({ callback_id: view.callback_id, private_metadata: view.private_metadata, blocks: view.blocks, values: values(fields), user: { id: user, username: name, name } }),
  );
}

describe("the ask modal", () => {
  it("opens on a bare /docket ask, shows field errors from the core, stores nothing until valid, then replies and announces", async () => {
    const opens = rig.fake.callsTo("views.open").length;
    const res = await rig.command("ask");
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const { call, view } = await openedView(opens);
    expect(call.params["trigger_id"]).toMatch(/^\d+\./);
    expect(view.callback_id).toBe("docket_form");
    expect(JSON.parse(view.private_metadata)).toEqual({ c: "C0GENERAL", r: rig.fake.responseUrl(res.responseId), f: "ask" });
    expect(view.blocks.map((b) => b.block_id)).toEqual(["text", "to", "by_date", "tags"]);

    const before = rig.h.snapshot();
    const tooLong = await submit(view, { text: text("x".repeat(1001)), to: text("ITU") });
    expect(tooLong.json).toEqual({ response_action: "errors", errors: { text: expect.stringContaining("the limit is 1000") } });
    const toLong = await submit(view, { text: text("Is the text public?"), to: text("y".repeat(201)) });
    expect(toLong.json).toEqual({ response_action: "errors", errors: { to: expect.stringContaining("the limit is 200") } });
    const past = await submit(view, { text: text("Is the text public?"), by_date: date("2026-11-01") });
    expect(past.json).toMatchObject({ response_action: "errors", errors: { by_date: expect.any(String) } });
    const badTag = await submit(view, { text: text("Is the text public?"), tags: text("#ok #not/ok") });
    expect(badTag.json).toMatchObject({ response_action: "errors", errors: { tags: expect.stringContaining("is not a tag") } });
    expect(rig.h.snapshot()).toEqual(before);

    const ok = await submit(view, { text: text("Will the final text be public?"), to: text("Secretariat"), by_date: date("2026-12-24"), tags: text("#transparency") });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe("");
    const q = (await rig.h.store.questions.get(1, 1))!;
    expect(q).toMatchObject({ text: "Will the final text be public?", addressee: "Secretariat", tags: ["transparency"], neededBy: { kind: "date", date: "2026-12-24" } });
    const [reply, announcement] = await rig.responses(res.responseId, 2);
    expect(reply?.body).toMatchObject({ response_type: "ephemeral" });
    expect(textOf(reply?.body)).toContain("Added Q1");
    expect(announcement?.body).toMatchObject({ response_type: "in_channel" });
    expect(textOf(announcement?.body)).toMatch(/\balice asked Q1 of Secretariat: Will the final text be public\?/);
    // Asking needs no role, so neither opening the modal nor submitting it waited for users.info.
    expect(rig.fake.callsTo("users.info")).toEqual([]);
  });

  it("offers the docket's deadlines, and refuses a deadline and a date together", async () => {
    await rig.command('deadline add "WCIT-12 opens" 2026-12-03');
    const opens = rig.fake.callsTo("views.open").length;
    await rig.command("ask");
    const { view } = await openedView(opens);
    const select = view.blocks.find((b) => b.block_id === "by_deadline");
    expect(select?.element?.options?.map((o) => o.value)).toEqual(["D1"]);

    const before = rig.h.snapshot();
    const both = await submit(view, { text: text("Who chairs?"), by_deadline: option("D1"), by_date: date("2026-12-24") });
    expect(both.json).toEqual({ response_action: "errors", errors: { by_date: "Choose a deadline or a date, not both." } });
    expect(rig.h.snapshot()).toEqual(before);

    await submit(view, { text: text("Who chairs the plenary?"), by_deadline: option("D1") });
    expect((await rig.h.store.questions.get(1, 2))?.neededBy).toEqual({ kind: "deadline", deadlineNumber: 1 });
  });
});

describe("the answer modal", () => {
  it("opens for /docket answer Q1 with the question shown, validates, and logs a partial answer", async () => {
    const opens = rig.fake.callsTo("views.open").length;
    const res = await rig.command("answer Q1");
    const { view } = await openedView(opens);
    expect(view.callback_id).toBe("docket_form");
    expect(view.title.text).toBe("Answer Q1");
    expect(JSON.parse(view.private_metadata)).toMatchObject({ c: "C0GENERAL", f: "answer|1" });
    expect(view.blocks[0]?.text?.text).toContain("Will the final text be public?");
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(["text", "source", "partial"]);

    const before = rig.h.snapshot();
    const longSource = await submit(view, { text: text("Yes, after adoption"), source: text("s".repeat(501)) });
    expect(longSource.json).toEqual({ response_action: "errors", errors: { source: expect.stringContaining("the limit is 500") } });
    const empty = await submit(view, { source: text("https://example.org") });
    expect(empty.json).toMatchObject({ response_action: "errors", errors: { text: expect.any(String) } });
    expect(rig.h.snapshot()).toEqual(before);

    const ok = await submit(view, { text: text("Yes, after adoption"), source: text("https://www.itu.int/wcit/text"), partial: checked("yes") });
    expect(ok.body).toBe("");
    expect((await rig.h.store.questions.get(1, 1))?.status).toBe("partial");
    const [reply, announcement] = await rig.responses(res.responseId, 2);
    expect(textOf(reply?.body)).toContain("Logged a partial answer to Q1");
    expect(textOf(announcement?.body)).toMatch(/\balice logged a partial answer to Q1: Yes, after adoption/);
  });

  it("says so instead of opening when the question does not exist", async () => {
    const opens = rig.fake.callsTo("views.open").length;
    const res = await rig.command("answer Q42");
    expect(res.json).toMatchObject({ response_type: "ephemeral" });
    expect(textOf(res.json)).toContain("There is no Q42");
    expect(rig.fake.callsTo("views.open").length).toBe(opens);
  });

  it("offers the questions to choose from on a bare /docket answer", async () => {
    const opens = rig.fake.callsTo("views.open").length;
    await rig.command("answer");
    const { view } = await openedView(opens);
    expect(view.title.text).toBe("Log an answer");
    const choice = view.blocks.find((b) => b.block_id === "question");
    expect(choice?.element?.options?.map((o) => o.value)).toEqual(expect.arrayContaining(["Q1", "Q2"]));
    await submit(view, { question: option("Q2"), text: text("The Secretary-General chairs it") });
    expect((await rig.h.store.questions.get(1, 2))?.status).toBe("answered");
  });
});

describe("the Answer button", () => {
  it("is on each open question of a posted digest and opens the answer modal for it", async () => {
    await rig.command("ask Is there a fee waiver for NGOs? to:ITU");
    const on = await rig.command("digest on 09:00 tz:Europe/London", { channel_id: "C0DIGEST" });
    expect(textOf(on.json)).toContain("Digest on");
    rig.h.clock.set("2026-11-30T09:00:30Z");
    const report = await digestDelivery(rig).tick();
    expect(report.sent).toBe(1);

    const digest = rig.fake.messages.find((m) => m.channel === "C0DIGEST")!;
    const buttons = (digest.blocks as Array<{ accessory?: { action_id: string; value: string } }>).flatMap((b) => (b.accessory ? [b.accessory] : []));
    expect(buttons.map((b) => b.action_id)).toEqual(buttons.map(() => "docket_answer"));
    expect(buttons.map((b) => b.value)).toContain("3");

    const opens = rig.fake.callsTo("views.open").length;
    const clicked = await rig.interact(buildBlockActionsPayload({ action_id: "docket_answer", value: "3", channel: { id: "C0DIGEST", name: "digest" }, message_ts: digest.ts, response_url: rig.fake.responseUrl("button-1") }));
    expect(clicked.status).toBe(200);
    const { view } = await openedView(opens);
    expect(view.title.text).toBe("Answer Q3");
    expect(JSON.parse(view.private_metadata)).toEqual({ c: "C0DIGEST", r: rig.fake.responseUrl("button-1"), f: "answer|3" });

    await submit(view, { text: text("Yes, for accredited NGOs"), source: text("ITU Council Decision 588") }, "U0BOB");
    expect((await rig.h.store.questions.get(1, 3))?.status).toBe("answered");
    const [reply, announcement] = await rig.responses("button-1", 2);
    expect(reply?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(textOf(announcement?.body)).toMatch(/\bbob logged an answer to Q3/);
  });
});
