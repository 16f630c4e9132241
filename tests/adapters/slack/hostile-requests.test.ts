/**
 * Requests no honest Slack sends, signed with the app's secret as if its holder (or a captured
 * request) were replaying or fuzzing Docket: each is refused or ignored cleanly, nothing is stored,
 * and Docket keeps answering.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSlashCommand, buildViewSubmissionPayload, encodeForm, postSigned, signSlackBody, type ViewSubmissionPayload } from "../../fakes/slack/signed-request.ts";
import { SECRET, startRig, textOf, type Rig } from "./support.ts";

let rig: Rig;
/** A server on loopback that is not Slack: what a forged response_url would point at. */
let elsewhere: Server;
const elsewhereHits: string[] = [];
let elsewhereUrl: string;

beforeAll(async () => {
  rig = await startRig();
  elsewhere = createServer((req, res) => {
    elsewhereHits.push(req.url ?? "");
    res.end("ok");
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/commands/T0DOCKET1/1/secret`;
});
afterAll(async () => {
  await rig?.close();
  await new Promise((resolve) => elsewhere?.close(resolve));
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** POSTs a signed body with a deadline, so a request Docket never answers fails the story instead of hanging it. */
async function send(body: string, contentType = "application/x-www-form-urlencoded", timestamp?: number) {
  const res = await fetch(rig.events, {
    method: "POST",
    headers: { "content-type": contentType, ...signSlackBody(SECRET, body, timestamp) },
    body,
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: await res.text() };
}

const submission = (patch: (p: ViewSubmissionPayload) => unknown): string => {
  const payload = buildViewSubmissionPayload({
    callback_id: "docket_form",
    private_metadata: JSON.stringify({ c: "C0GENERAL", f: "ask" }),
    values: { text: { value: { type: "plain_text_input", value: "Who signed this?" } } },
  });
  return encodeForm({ payload: JSON.stringify(patch(payload)) });
};

const questionCount = () => (rig.h.snapshot()["questions"] as unknown[]).length;

describe("a signed request that is not an object", () => {
  it("is answered 400, and Docket goes on answering commands", async () => {
    const before = rig.h.snapshot();
    for (const [body, type] of [
      ["payload=null", undefined],
      ["payload=5", undefined],
      ["payload=%5B%5D", undefined],
      ['payload="text"', undefined],
      ["payload=%7Bnot json", undefined],
      ["null", "application/json"],
      ["[1,2]", "application/json"],
    ] as const) {
      const res = await send(body, type);
      expect(res.status, body).toBe(400);
    }
    // Slack's ssl_check is sent unsigned: still answered, with anything smuggled beside it dropped.
    const check = await fetch(rig.events, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "ssl_check=1&payload=null", signal: AbortSignal.timeout(5000) });
    expect(check.status).toBe(200);
    expect(rig.h.snapshot()).toEqual(before);
    expect(rig.log.lines.filter((l) => l.includes("refused a malformed signed slack request")).length).toBeGreaterThan(0);
    const help = await rig.command("help");
    expect(help.status).toBe(200);
    expect(textOf(help.json)).toContain("/docket: the coalition's open questions");
  });
});

describe("a signed view_submission of the wrong shape", () => {
  it("is answered 400 with nothing stored, where a well-formed one is saved", async () => {
    const before = rig.h.snapshot();
    const broken: Array<[string, (p: ViewSubmissionPayload) => unknown]> = [
      ["no view", ({ view: _view, ...rest }) => rest],
      ["a view that is text", (p) => ({ ...p, view: "V0" })],
      ["no state", (p) => ({ ...p, view: { ...p.view, state: undefined } })],
      ["state values that are text", (p) => ({ ...p, view: { ...p.view, state: { values: "text" } } })],
      ["a value that is a number", (p) => ({ ...p, view: { ...p.view, state: { values: { text: { value: { type: "plain_text_input", value: 42 } } } } } })],
      ["checkboxes without a list", (p) => ({ ...p, view: { ...p.view, state: { values: { partial: { value: { type: "checkboxes", selected_options: "yes" } } } } } })],
      ["private_metadata that is a number", (p) => ({ ...p, view: { ...p.view, private_metadata: 7 } })],
      ["blocks that are not a list", (p) => ({ ...p, view: { ...p.view, blocks: {} } })],
      ["no user", ({ user: _user, ...rest }) => rest],
    ];
    for (const [what, patch] of broken) {
      const res = await send(submission(patch));
      expect(res.status, what).toBe(400);
    }
    expect(rig.h.snapshot()).toEqual(before);
    expect(rig.log.lines.some((l) => l.includes("modal submission failed"))).toBe(false);

    const fine = await send(submission((p) => p));
    expect(fine.status).toBe(200);
    expect(questionCount()).toBe((before["questions"] as unknown[]).length + 1);
  });
});

describe("a signed slash command of the wrong shape", () => {
  it("without its text field is answered 400, not with the internal apology", async () => {
    const before = rig.h.snapshot();
    const { text: _text, ...textless } = buildSlashCommand({ text: "ask Without text" });
    const res = await postSigned(rig.events, SECRET, encodeForm({ ...textless }));
    expect(res.status).toBe(400);
    expect(rig.h.snapshot()).toEqual(before);
  });
});

describe("a request that names no workspace", () => {
  it("is refused, slash command or modal, and no docket is made for workspace \"\"", async () => {
    const before = rig.h.snapshot();
    const command = await rig.command("ask Whose docket is this?", { team_id: "" });
    expect(command.status).toBe(400);
    const modal = await send(submission((p) => ({ ...p, team: null, enterprise: null, user: { ...p.user, team_id: "" }, view: { ...p.view, team_id: "" } })));
    expect(modal.status).toBe(400);
    expect(rig.h.snapshot()).toEqual(before);
    expect(rig.fake.responsesTo(command.responseId)).toEqual([]);

    // An org-wide install names its enterprise instead of a team: that is a workspace.
    const org = await rig.command("help", { team_id: "", enterprise_id: "E0ORG" });
    expect(org.status).toBe(200);
  });
});

describe("a response_url that is not Slack's", () => {
  it("is never POSTed to: the reply and the public line go through the Web API instead", async () => {
    const posted = rig.fake.callsTo("chat.postMessage").length;
    const ephemeral = rig.fake.callsTo("chat.postEphemeral").length;
    const asked = await rig.command("ask Where is the agenda? to:Secretariat", { response_url: elsewhereUrl });
    expect(textOf(asked.json)).toContain("Added Q");
    await rig.fake.waitFor((c) => c.method === "chat.postMessage" && rig.fake.callsTo("chat.postMessage").indexOf(c) >= posted);
    expect(textOf(rig.fake.callsTo("chat.postMessage").at(-1)?.params)).toContain("asked");

    // A slow command acks empty and replies after: to the member, through chat.postEphemeral.
    const exported = await rig.command("export csv", { response_url: elsewhereUrl });
    expect(exported.body).toBe("");
    await rig.fake.waitFor((c) => c.method === "chat.postEphemeral" && rig.fake.callsTo("chat.postEphemeral").indexOf(c) >= ephemeral);

    // A modal's private_metadata comes back in the submission: a response_url forged into it is refused too.
    const submitted = await send(submission((p) => ({ ...p, view: { ...p.view, private_metadata: JSON.stringify({ c: "C0GENERAL", r: elsewhereUrl, f: "ask" }) } })));
    expect(submitted.status).toBe(200);
    await rig.fake.waitFor((c) => c.method === "chat.postMessage" && textOf(c.params).includes("Who signed this?"));

    expect(elsewhereHits).toEqual([]);
    const refusals = rig.log.lines.filter((l) => l.includes("refused a response_url outside Slack"));
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    for (const line of refusals) expect(line).not.toContain("/commands/T0DOCKET1/1/secret");
  });
});

describe("a replayed request", () => {
  it("sent three times with the same signature creates one question", async () => {
    const before = questionCount();
    const body = encodeForm({ ...buildSlashCommand({ text: "ask Is this asked once? to:ITU", response_url: rig.fake.responseUrl("replayed") }) });
    const timestamp = nowSeconds();
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await postSigned(rig.events, SECRET, body, { timestamp }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(textOf(answers[0]?.json)).toContain("Added Q");
    expect(answers.slice(1).map((a) => a.body)).toEqual(["", ""]);
    expect(questionCount()).toBe(before + 1);
    expect(rig.log.lines.filter((l) => l.includes("ignored a replayed slack request")).length).toBe(2);
  });

  it("a Slack event retried under a new signature runs once", async () => {
    const event = (team: string, id: string, eventTime: number) =>
      JSON.stringify({
        token: "t", team_id: team, api_app_id: "A1", type: "event_callback", event_id: id, event_time: eventTime,
        event: { type: "app_uninstalled", event_ts: `${eventTime}.000100` },
        authorizations: [{ enterprise_id: null, team_id: team, user_id: "U0DOCKETBOT", is_bot: true, is_enterprise_install: false }],
      });
    const gone = (team: string) => rig.log.lines.filter((l) => l.includes("slack workspace gone") && l.includes(team)).length;
    const handled = async (team: string) => {
      for (let i = 0; i < 150 && gone(team) === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    };
    const first = await send(event("T0GONE", "Ev0RETRIED", 1700000000), "application/json");
    await handled("T0GONE");
    // why: Slack signs a retry afresh; here the retry is told apart by its body, as a new timestamp would.
    const body = event("T0GONE", "Ev0RETRIED", 1700000001);
    const retried = await fetch(rig.events, {
      method: "POST",
      headers: { "content-type": "application/json", "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout", ...signSlackBody(SECRET, body) },
      body,
    });
    // Events run in the order they came: once a later event has run, a retry that ran would show.
    const later = await send(event("T0LATER", "Ev0LATER", 1700000002), "application/json");
    await handled("T0LATER");
    expect([first.status, retried.status, later.status]).toEqual([200, 200, 200]);
    expect(gone("T0GONE")).toBe(1);
    expect(rig.log.lines.some((l) => l.includes("ignored a repeated slack event") && l.includes("Ev0RETRIED"))).toBe(true);
  });
});

describe("a timestamp from the future", () => {
  it("more than five minutes ahead is refused with 401, like a stale one", async () => {
    const before = rig.h.snapshot();
    for (const ahead of [6 * 60, 365 * 24 * 60 * 60]) {
      const body = encodeForm({ ...buildSlashCommand({ text: "ask From the future?", response_url: rig.fake.responseUrl(`future-${ahead}`) }) });
      const res = await postSigned(rig.events, SECRET, body, { timestamp: nowSeconds() + ahead });
      expect(res.status, `${ahead} s ahead`).toBe(401);
      expect(rig.fake.responsesTo(`future-${ahead}`)).toEqual([]);
    }
    expect(rig.h.snapshot()).toEqual(before);
    const close = await postSigned(rig.events, SECRET, encodeForm({ ...buildSlashCommand({ text: "help" }) }), { timestamp: nowSeconds() + 60 });
    expect(close.status).toBe(200);
  });
});

describe("an unsigned command beside ssl_check, or to another spelling of the endpoint", () => {
  /** POSTs raw bytes to a raw path (no client normalising it), signed with the wrong secret or not at all. */
  const raw = (path: string, body: string, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(rig.events);
      const req = request({ host: url.hostname, port: url.port, path, method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end(body);
    });

  it("is never run: the guard is the one signature check, on every path Bolt takes events at", async () => {
    const before = rig.h.snapshot();
    const smuggled = encodeForm({ ...buildSlashCommand({ text: "ask Smuggled past the ssl_check?", response_url: rig.fake.responseUrl("smuggled") }) });
    // why: Bolt answers an ssl_check without reading the rest; the command beside it must not run either.
    expect(await raw("/slack/events", `ssl_check=1&${smuggled}`)).toBe(200);
    const forged = signSlackBody(`${SECRET}-wrong`, smuggled);
    for (const path of ["/slack/events", "/slack/events?ssl_check=1", "/slack/./events", "/slack/x/../events", "/slack/events#x"]) {
      expect(await raw(path, smuggled, { ...forged }), path).toBe(401);
      expect(await raw(path, smuggled), path).toBe(401);
    }
    expect(rig.h.snapshot()).toEqual(before);
    expect(rig.fake.responsesTo("smuggled")).toEqual([]);
  });
});
