/**
 * Milestones in Slack: the digest on a milestone day opens with its headline and the one mention
 * Docket writes itself, the user group (or `<!here>`) an admin set through the slash command; every
 * mention a member typed still goes out escaped, and the next day's digest mentions no one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonParam, type RecordedCall } from "../../fakes/slack/fake-slack.ts";
import { digestDelivery, startRig, stringsIn, textOf, type Rig } from "./support.ts";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ now: "2026-11-29T10:00:00Z" });
});
afterAll(async () => {
  await rig?.close();
});

const digestPosts = (channel: string): RecordedCall[] => rig.fake.callsTo("chat.postMessage").filter((c) => c.params["channel"] === channel);
/** Every `<…>` token in what Docket posted: the mentions, links and specials Slack would act on. */
const tokensIn = (calls: RecordedCall[]) => calls.flatMap((c) => [...stringsIn(jsonParam(c, "blocks")), String(c.params["text"])]).flatMap((t) => [...t.matchAll(/<[^<>]*>/g)].map((m) => m[0]));

describe("milestone digests in Slack", () => {
  it("mention only the admin's user group and here, once each, on the milestone day only, whatever members typed", async () => {
    const ok = async (text: string, channel = "C0GENERAL") => {
      const res = await rig.command(text, { channel_id: channel });
      expect(res.status).toBe(200);
      const body = res.body === "" ? (await rig.responses(res.responseId))[0]?.body : res.json;
      expect(textOf(body), text).not.toMatch(/^:warning:/);
      return textOf(body);
    };
    await ok("deadline add WCIT-12 2026-12-08");
    await ok("deadline add Comments due 2026-12-02");
    // Mentions picked from Slack's menu arrive as tokens; a member's question carries every kind.
    await ok("ask Answer now <!channel> <!here> <!everyone> <!subteam^S0ALL|@all> <@U0BEN|ben> to:ITU by:D1");
    expect(await ok("deadline milestones WCIT 7 ping:<!subteam^S0ORG|@organisers>")).toContain("pinging @organisers there");
    expect(await ok("deadline milestones Comments 1 ping:<!here>")).toContain("pinging @here there");
    await ok("digest on 09:00 tz:UTC", "C0MILES");

    rig.h.clock.set("2026-12-01T09:00:10Z");
    expect(await digestDelivery(rig).tick()).toMatchObject({ sent: 1 });
    const [post] = digestPosts("C0MILES");
    const blocks = jsonParam(post!, "blocks") as Array<{ type: string; text?: { text: string } }>;
    expect(blocks[1]!.text!.text).toBe("<!here> *1 day to Comments due · 1 question still unanswered · ITU has answered 0 of 1*");
    expect(blocks[2]!.text!.text).toBe("<!subteam^S0ORG> *7 days to WCIT-12 · 1 question still unanswered · ITU has answered 0 of 1*");
    // The notification text carries them too; nothing else is a live token.
    expect(String(post!.params["text"])).toContain("<!subteam^S0ORG> *7 days to WCIT-12");
    expect(tokensIn([post!]).sort()).toEqual(["<!here>", "<!here>", "<!subteam^S0ORG>", "<!subteam^S0ORG>"]);
    expect(textOf(jsonParam(post!, "blocks"))).toContain("Answer now @channel @here @everyone @all @ben");
    expect(post!.params["parse"]).toBeUndefined();
    expect(post!.params["link_names"]).toBeUndefined();

    rig.h.clock.set("2026-12-02T09:00:10Z");
    expect(await digestDelivery(rig).tick()).toMatchObject({ sent: 1 });
    const next = digestPosts("C0MILES")[1]!;
    expect(tokensIn([next])).toEqual([]);
    expect(textOf(jsonParam(next, "blocks"))).not.toContain("days to");
  });
});
