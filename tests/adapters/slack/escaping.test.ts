import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonParam } from "../../fakes/slack/fake-slack.ts";
import { buildViewSubmissionPayload, type StateValues } from "../../fakes/slack/signed-request.ts";
import { digestDelivery, slackBound, startRig, wire, type Rig } from "./support.ts";

const nasty = "<!channel> <!here> <!everyone> <@U123> <!subteam^S1> & <b>";
const escaped = "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U123&gt; &lt;!subteam^S1&gt; &amp; &lt;b&gt;";
const raw = ["<!channel>", "<!here>", "<!everyone>", "<@U123>", "<!subteam^S1>", "<b>"];

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ now: "2026-11-30T07:00:00Z" });
});
afterAll(async () => {
  await rig?.close();
});

describe("member text reaching Slack", () => {
  it("is escaped everywhere, so mentions typed by a member render literally and ping nobody", async () => {
    const acks: unknown[] = [];
    const asked = await rig.command(`ask Why? ${wire(nasty)} to:ITU #access`);
    acks.push(asked.json);
    await rig.responses(asked.responseId);
    acks.push((await rig.command("list")).json);
    acks.push((await rig.command("show Q1")).json);
    const searched = await rig.command(`search channel`);
    acks.push((await rig.responses(searched.responseId))[0]?.body);
    acks.push((await rig.command(`ask Another by:${wire("<!here>")}`)).json);
    // Mentions picked from Slack's menu arrive as tokens: none may go back out as one.
    acks.push((await rig.command("ask Ping <!channel> <!here> <!everyone> <!subteam^S1|@coalition> <@U123|ana> to:ITU")).json);

    // The modals: the ask modal's deadline options, the answer modal's question options and its question.
    await rig.command(`deadline add "${wire(nasty)}" 2026-12-20`);
    await rig.command("ask");
    await rig.fake.waitFor((c) => c.method === "views.open" && String(c.params["view"]).includes("by_deadline"));
    await rig.command("answer");
    await rig.fake.waitFor((c) => c.method === "views.open" && String(c.params["view"]).includes("Log an answer"));
    await rig.command("answer Q1");
    const view = jsonParam(await rig.fake.waitFor((c) => c.method === "views.open" && String(c.params["view"]).includes("Answer Q1")), "view") as { callback_id: string; private_metadata: string };

    // Submissions: a reply sent without a response_url, an invalid tag and addressee quoted back in a field error.
    const values = (fields: Record<string, string>): StateValues => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { value: { type: "plain_text_input", value: v } }]));
    acks.push((await rig.interact(buildViewSubmissionPayload({ callback_id: view.callback_id, private_metadata: view.private_metadata, values: values({ text: `Yes ${nasty}`, source: nasty }) }))).json);
    acks.push((await rig.interact(buildViewSubmissionPayload({ callback_id: "docket_form", private_metadata: JSON.stringify({ c: "C0GENERAL", f: "ask" }), values: values({ text: `Again ${nasty}`, tags: "#<b>" }) }))).json);
    acks.push((await rig.interact(buildViewSubmissionPayload({ callback_id: "docket_form", private_metadata: JSON.stringify({ c: "C0GENERAL", f: "ask" }), values: values({ text: `Again ${nasty}`, to: nasty }) }))).body);
    await rig.fake.waitFor((c) => c.method === "chat.postMessage" && String(c.params["text"]).includes("asked Q"));

    // An export shared by a member whose Slack name is the nasty text: export needs no role, so the name is the payload's user_name.
    rig.fake.setUser("U0NASTY", { name: nasty, real_name: nasty });
    const exported = await rig.command("export md", { user_id: "U0NASTY", user_name: nasty });
    await rig.responses(exported.responseId, 2);

    // The digest, and the admins' notice when a channel is gone.
    await rig.command("admin add <@U0ALICE|alice>");
    await rig.command("digest on 09:00 tz:UTC");
    await rig.command("digest on 09:00 tz:UTC", { channel_id: "C0GONE" });
    rig.fake.setChannel("C0GONE", { is_archived: true });
    rig.h.clock.set("2026-11-30T09:00:10Z");
    expect(await digestDelivery(rig).tick()).toMatchObject({ sent: 1, paused: 1 });
    await rig.fake.waitFor((c) => c.method === "chat.postMessage" && c.params["channel"] === "U0ALICE");

    const texts = slackBound(rig, acks);
    for (const { where, text } of texts) {
      for (const mention of raw) expect(text, `${where} sends ${mention} raw`).not.toContain(mention);
      expect(text, `${where} sends a raw mention`).not.toMatch(/<[!@#]/);
      expect(text, `${where} has a bare &`).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    const carrying = (where: RegExp) => texts.filter((t) => where.test(t.where) && t.text.includes(escaped));
    expect(carrying(/^ack 0$/).length, "the ask's ack").toBeGreaterThan(0);
    expect(carrying(/^response_url/).length, "the public line through response_url").toBeGreaterThan(0);
    expect(carrying(/^ack [12]$/).length, "list and show").toBeGreaterThan(0);
    expect(carrying(/^views\.open\.view$/).length, "the answer modal").toBeGreaterThan(0);
    expect(carrying(/^chat\.postEphemeral\.(text|blocks)$/).length, "a modal's reply by chat.postEphemeral").toBeGreaterThan(0);
    expect(carrying(/^chat\.postMessage\.text$/).length, "the digest's and the announcement's text").toBeGreaterThan(0);
    expect(carrying(/^chat\.postMessage\.blocks$/).length, "the digest's blocks").toBeGreaterThan(0);
    expect(carrying(/^files\.completeUploadExternal\.initial_comment$/).length, "the export's comment").toBeGreaterThan(0);
    const options = texts.filter((t) => t.where === "views.open.view" && /^[DQ]1 /.test(t.text));
    expect(options.map((o) => o.text), "the modals' options").toEqual(
      expect.arrayContaining([expect.stringMatching(/^D1 &lt;!channel&gt; &lt;!here&gt;/), expect.stringMatching(/^Q1 Why\? &lt;!channel&gt; &lt;!here&gt;/)]),
    );
    expect(texts.some((t) => /^ack 4$/.test(t.where) && t.text.includes("&lt;!here&gt;")), "an error quoting the member").toBe(true);
    expect(texts.some((t) => /^ack 5$/.test(t.where) && t.text.includes("Ping @channel @here @everyone @coalition @ana")), "mentions as words").toBe(true);
    expect(texts.some((t) => /^ack 7$/.test(t.where) && t.text.includes("&lt;b&gt;")), "a modal field error quoting the member").toBe(true);
    for (const call of rig.fake.calls) {
      expect(call.params["parse"], call.method).toBeUndefined();
      expect(call.params["link_names"], call.method).toBeUndefined();
    }
    // Stored as typed: escaping is the adapter's business, not the docket's.
    expect((await rig.h.store.questions.get(1, 1))?.text).toBe(`Why? ${nasty}`);
  });
});
