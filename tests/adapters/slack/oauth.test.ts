import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { jsonParam } from "../../fakes/slack/fake-slack.ts";
import { BOT_TOKEN, digestDelivery, startRig, stringsIn, TEAM, textOf, type Rig } from "./support.ts";

const OTHER = "T0OTHER";
const OTHER_TOKEN = "xoxb-2-other-coalition";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ oauth: true, secretKey: "correct horse battery staple", now: "2026-11-30T07:00:00Z" });
});
afterAll(async () => {
  await rig?.close();
});

/** Walks the install flow as a browser would: /slack/install sets the state cookie and redirects to Slack, Slack redirects back with a code. */
async function install(team: { id: string; name: string }, token: string) {
  const start = await fetch(`${rig.origin}/slack/install`, { redirect: "manual" });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.origin).toBe("https://slack.com");
  expect(authorize.searchParams.get("client_id")).toBe("111.222");
  expect(authorize.searchParams.get("scope")).toBe("commands,chat:write,chat:write.public,users:read,files:write,im:write,channels:history,groups:history");
  const cookie = start.headers.get("set-cookie")!.split(";")[0]!;
  rig.fake.setOAuthResponse({ access_token: token, team, authed_user: { id: "U0INSTALLER" } });
  const back = await fetch(`${rig.origin}/slack/oauth_redirect?code=code-${team.id}&state=${encodeURIComponent(authorize.searchParams.get("state")!)}`, { headers: { cookie } });
  return { status: back.status, body: await back.text() };
}

describe("many workspaces through the OAuth install flow", () => {
  it("stores an installation, encrypted at rest, and never logs its token", async () => {
    const done = await install({ id: OTHER, name: "Other Coalition" }, OTHER_TOKEN);
    expect(done.status).toBe(200);
    const exchange = rig.fake.callsTo("oauth.v2.access").at(-1)!;
    expect(exchange.params["code"]).toBe(`code-${OTHER}`);

    const row = rig.h.db.prepare("SELECT value FROM platform_state WHERE platform = 'slack' AND key = ?").get(`installation:${OTHER}`) as { value: string };
    expect(row.value.startsWith("enc:v1:")).toBe(true);
    expect(row.value).not.toContain(OTHER_TOKEN);
    expect(row.value).not.toContain(OTHER);
    const stored = JSON.parse((await rig.h.store.platformState.get("slack", `installation:${OTHER}`))!) as { bot: { token: string }; team: { id: string }; user: { id: string } };
    expect(stored).toMatchObject({ bot: { token: OTHER_TOKEN }, team: { id: OTHER }, user: { id: "U0INSTALLER" } });
    for (const line of rig.log.lines) expect(line).not.toMatch(/xox[a-z]-/);
  });

  it("keeps each workspace to its own docket, each answered with its own token", async () => {
    rig.fake.setUser("U0OTHERADMIN", { name: "olga", is_admin: true, team_id: OTHER });
    const other = { team_id: OTHER, team_domain: "other-coalition", user_id: "U0OTHERADMIN", user_name: "olga", channel_id: "C0OTHER" };

    await rig.command("ask Will the home coalition's question stay at home?");
    expect(textOf((await rig.command("list", other)).json)).toContain("No open questions");
    expect(textOf((await rig.command("ask Is the other coalition's question separate?", other)).json)).toContain("Added Q1");
    const shownThere = textOf((await rig.command("show Q1", other)).json);
    expect(shownThere).toContain("other coalition's question");
    expect(shownThere).not.toContain("home coalition");
    const shownHere = textOf((await rig.command("show Q1")).json);
    expect(shownHere).toContain("home coalition");
    expect((await rig.h.store.workspaces.find("slack", OTHER))?.docketId).not.toBe((await rig.h.store.workspaces.find("slack", TEAM))?.docketId);
    const exported = await rig.command("export md", other);
    await rig.responses(exported.responseId, 2);
    expect(rig.fake.callsTo("files.completeUploadExternal").find((c) => c.params["channel_id"] === "C0OTHER")?.token).toBe(OTHER_TOKEN);
    const file = rig.fake.uploads.at(-1)!.bytes.toString("utf8");
    expect(file).toContain("other coalition's question");
    expect(file).not.toContain("home coalition");

    await rig.command("digest on 09:00 tz:UTC", { channel_id: "C0HOME" });
    await rig.command("digest on 09:00 tz:UTC", other);
    rig.h.clock.set("2026-11-30T09:00:10Z");
    expect(await digestDelivery(rig).tick()).toMatchObject({ sent: 2 });
    const home = rig.fake.callsTo("chat.postMessage").find((c) => c.params["channel"] === "C0HOME")!;
    const away = rig.fake.callsTo("chat.postMessage").find((c) => c.params["channel"] === "C0OTHER")!;
    expect(home.token).toBe(BOT_TOKEN);
    expect(away.token).toBe(OTHER_TOKEN);
    expect(stringsIn(jsonParam(home, "blocks")).join(" ")).not.toContain("other coalition");
    expect(stringsIn(jsonParam(away, "blocks")).join(" ")).not.toContain("home coalition");
  });

  it("deletes the installation and pauses that workspace's digests on app_uninstalled, and only that workspace's", async () => {
    const res = await rig.event(OTHER, { type: "app_uninstalled", event_ts: "1700000000.000100" });
    expect(res.status).toBe(200);
    // why waitFor: Slack's events are acknowledged first and handled after, as Slack asks (3 s to answer).
    await vi.waitFor(async () => expect(await rig.h.store.platformState.get("slack", `installation:${OTHER}`)).toBeUndefined());
    await vi.waitFor(async () => {
      const otherSub = (await rig.h.store.subscriptions.forChannel({ platform: "slack", workspaceId: OTHER, channelId: "C0OTHER" }))!;
      expect(otherSub.state).toMatchObject({ kind: "paused", reason: "Docket was uninstalled from this Slack workspace" });
    });
    const homeSub = (await rig.h.store.subscriptions.forChannel({ platform: "slack", workspaceId: TEAM, channelId: "C0HOME" }))!;
    expect(homeSub.state.kind).toBe("active");

    // Slack would no longer send its commands; one that arrives anyway finds no installation and changes nothing.
    const before = rig.h.snapshot();
    await rig.command("ask Anyone there?", { team_id: OTHER, team_domain: "other-coalition", user_id: "U0OTHERADMIN", channel_id: "C0OTHER" });
    expect(rig.h.snapshot()).toEqual(before);
  });

  it("deletes an installed workspace's tokens and pauses its digests when its bot token is revoked", async () => {
    expect((await install({ id: "T0THIRD", name: "Third Coalition" }, "xoxb-3-third")).status).toBe(200);
    rig.fake.setUser("U0THIRDADMIN", { name: "thea", is_admin: true, team_id: "T0THIRD" });
    await rig.command("digest on 09:00 tz:UTC", { team_id: "T0THIRD", team_domain: "third", user_id: "U0THIRDADMIN", channel_id: "C0THIRD" });
    const third = await rig.h.store.subscriptions.forChannel({ platform: "slack", workspaceId: "T0THIRD", channelId: "C0THIRD" });
    expect(third?.state.kind).toBe("active");

    // A member revoking their own user token changes nothing.
    await rig.event("T0THIRD", { type: "tokens_revoked", tokens: { oauth: ["U0THIRDADMIN"], bot: [] }, event_ts: "1700000000.000150" });
    expect(await rig.h.store.platformState.get("slack", "installation:T0THIRD")).toBeDefined();

    const res = await rig.event("T0THIRD", { type: "tokens_revoked", tokens: { oauth: [], bot: ["U0DOCKETBOT"] }, event_ts: "1700000000.000160" });
    expect(res.status).toBe(200);
    await vi.waitFor(async () => expect(await rig.h.store.platformState.get("slack", "installation:T0THIRD")).toBeUndefined());
    await vi.waitFor(async () => expect((await rig.h.store.subscriptions.forChannel({ platform: "slack", workspaceId: "T0THIRD", channelId: "C0THIRD" }))?.state).toMatchObject({ kind: "paused" }));
  });

  it("pauses the home workspace's digests when its bot token is revoked", async () => {
    const res = await rig.event(TEAM, { type: "tokens_revoked", tokens: { oauth: [], bot: ["U0DOCKETBOT"] }, event_ts: "1700000000.000200" });
    expect(res.status).toBe(200);
    await vi.waitFor(async () => {
      const homeSub = (await rig.h.store.subscriptions.forChannel({ platform: "slack", workspaceId: TEAM, channelId: "C0HOME" }))!;
      expect(homeSub.state).toMatchObject({ kind: "paused", reason: "Docket's bot token was revoked in this Slack workspace" });
    });
  });
});
