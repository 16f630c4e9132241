/**
 * Issue 13: member-typed mentions in a chase (`<!everyone>`, `<!here>`, a user group) reach Slack
 * escaped in the reply, show, list, the scorecard and the digest's "Due for a chase" section: no one is pinged.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { digestDelivery, slackBound, startRig, wire, type Rig } from "./support.ts";

const nasty = "@everyone <!channel> <!here> <!everyone> <!subteam^S1> <@U123>";
const escaped = "@everyone &lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;!subteam^S1&gt; &lt;@U123&gt;";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ now: "2026-10-01T07:00:00Z" });
});
afterAll(async () => {
  await rig?.close();
});

it("a chase typed with <!everyone>, <!here> and a user group pings no one, wherever Docket shows it", async () => {
  const acks: unknown[] = [];
  await rig.command("ask What does ITU membership cost? to:ITU");
  rig.h.clock.set("2026-11-29T10:00:00Z");
  acks.push((await rig.command(`chase Q1 "Pressed them again ${wire(nasty)}" via:email to:"${wire(nasty)}"`)).json);
  // Mentions picked from Slack's menu arrive as tokens: none may go back out as one.
  acks.push((await rig.command("chase Q1 Ping <!channel> <!here> <!everyone> <!subteam^S1|@coalition> <@U123|ana> via:call")).json);
  acks.push((await rig.command("show Q1")).json);
  acks.push((await rig.command("list")).json);
  acks.push((await rig.command("scorecard")).json);
  await rig.command("admin add <@U0ALICE|alice>");
  await rig.command("digest on 09:00 tz:UTC chase-after:1");
  rig.h.clock.set("2026-11-30T09:00:10Z");
  expect(await digestDelivery(rig).tick()).toMatchObject({ sent: 1 });

  const texts = slackBound(rig, acks);
  for (const { where, text } of texts) {
    for (const mention of ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S1>", "<@U123>"]) expect(text, `${where} sends ${mention} raw`).not.toContain(mention);
    expect(text, `${where} sends a raw mention`).not.toMatch(/<[!@#]/);
  }
  const carrying = (where: RegExp) => texts.filter((t) => where.test(t.where) && t.text.includes(escaped));
  expect(carrying(/^ack 0$/).length, "the chase's reply").toBeGreaterThan(0);
  expect(carrying(/^ack 2$/).length, "show").toBeGreaterThan(0);
  expect(texts.some((t) => /^ack 1$/.test(t.where) && t.text.includes("Ping @channel @here @everyone @coalition @ana")), "mentions as words").toBe(true);
  expect(texts.some((t) => /^chat\.postMessage/.test(t.where) && t.text.includes("Due for a chase")), "the digest's chase section").toBe(true);
  for (const call of rig.fake.calls) {
    expect(call.params["parse"], call.method).toBeUndefined();
    expect(call.params["link_names"], call.method).toBeUndefined();
  }
  expect((await rig.h.store.chases.forDocket(1))[0]?.text).toBe(`Pressed them again ${nasty}`);
});
