/**
 * Discord over HTTP (DISCORD_PUBLIC_KEY): interactions POSTed to /discord/interactions on Docket's
 * shared server, signed with a real Ed25519 key; answered inline, deferred and finished through the
 * webhook, or refused with 401 before anything runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyPair, startHttpDocket, type HttpDocket } from "./http-support.ts";
import { ALICE, BOB, DOCKET_CHANNEL, GUILD, OTHER_GUILD } from "./support.ts";

let d: HttpDocket;
beforeAll(async () => {
  d = await startHttpDocket();
});
afterAll(async () => {
  await d?.close();
});

describe("Discord over HTTP", () => {
  it("answers a signed PING with PONG", async () => {
    const body = JSON.stringify({ type: 1, id: "1", application_id: d.fake.applicationId, token: "t", version: 1 });
    const res = await d.post(body, d.signed(body));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ type: 1 });
  });

  it("answers /docket help inline, privately", async () => {
    const o = await d.slash("help");
    expect(o.status).toBe(200);
    expect(o.json?.type).toBe(4);
    expect(o.json?.data?.flags).toBe(64);
    expect(o.json?.data?.allowed_mentions).toEqual({ parse: [] });
    expect(o.shown).toContain("/docket ask <text>");
    expect(o.messages.every((m) => m.ephemeral)).toBe(true);
  });

  it("runs ask: the question is stored, the reply is private and the public line follows through the webhook", async () => {
    const o = await d.slash("ask", { text: "Will plenary sessions be webcast?", to: "ITU" }, { user: BOB, permissions: "0" });
    expect(o.json?.type).toBe(4);
    expect(o.shown).toContain("Added Q1");
    const docket = await d.h.docketOf({ platform: "discord", workspace: GUILD });
    expect(docket?.name).toBe("Treaty Coalition");
    expect((await d.h.store.questions.get(docket!.id, 1))?.text).toBe("Will plenary sessions be webcast?");
    const publicLine = o.messages.filter((m) => m.source === "followup" && !m.ephemeral);
    expect(publicLine).toHaveLength(1);
    const followUp = d.fake.requests.find((r) => r.method === "POST" && r.path.startsWith(`/webhooks/${d.fake.applicationId}/`));
    expect(followUp?.headers.authorization).toBeUndefined();
  });

  it("defers export (type 5) and attaches the file by editing @original, without the bot token", async () => {
    const o = await d.slash("export", { format: "csv" });
    expect(o.json).toEqual({ type: 5, data: { flags: 64 } });
    const edit = d.fake.requests.find((r) => r.method === "PATCH" && r.path === `/webhooks/${d.fake.applicationId}/${(d.fake.callbacks.at(-1)!).token}/messages/@original`)!;
    expect(edit).toBeDefined();
    expect(edit.multipart).toBe(true);
    expect(edit.headers.authorization).toBeUndefined();
    expect(edit.files.map((f) => f.filename)).toEqual([expect.stringMatching(/\.csv$/)]);
    expect(edit.files[0]!.data.toString()).toContain("Will plenary sessions be webcast?");
    expect(o.messages[0]!.message.attachments).toHaveLength(1);
    expect(o.messages[0]!.ephemeral).toBe(true);
  });

  it("suggests questions as a member types (type 8)", async () => {
    const o = await d.autocomplete("answer", { name: "question", value: "webcast" });
    expect(o.json?.type).toBe(8);
    expect(o.json?.data?.choices).toEqual([{ name: "Q1 Will plenary sessions be webcast?", value: "Q1" }]);
  });

  it("opens the ask form as a modal (type 9) when ask has no text", async () => {
    const o = await d.slash("ask", {}, { user: BOB, permissions: "0" });
    expect(o.json?.type).toBe(9);
    expect(o.json?.data?.custom_id).toBe("docket:form:ask");
  });

  it("adds the question the ask form submits, and an Answer button opens the answer form", async () => {
    const member = { guildId: GUILD, channelId: DOCKET_CHANNEL, user: { id: BOB }, permissions: "0" };
    const submitted = await d.deliver(d.fake.modalSubmit({ customId: "docket:form:ask", fields: { text: "Is remote participation allowed?" }, layout: "label", ...member }));
    expect(submitted.json?.type).toBe(4);
    expect(submitted.shown).toContain("Added Q2");
    const line = submitted.messages.at(-1)!.message.id;
    const pressed = await d.deliver(d.fake.button({ customId: "docket:answer:2", message: line, ...member }));
    expect(pressed.json?.type).toBe(9);
    expect(String(pressed.json?.data?.custom_id)).toMatch(/^docket:form:/);
  });

  it("takes Manage Server from the member's permissions: an admin command is refused without it", async () => {
    const refused = await d.slash("rename", { name: "Renamed by Bob" }, { user: BOB, permissions: "0" });
    expect(refused.json?.type).toBe(4);
    expect(refused.shown).not.toContain("This docket is now called");
    const allowed = await d.slash("rename", { name: "WCIT-12 coalition" }, { user: ALICE });
    expect(allowed.shown).toContain("This docket is now called WCIT-12 coalition");
  });
});

describe("refused requests", () => {
  const payload = () => d.fake.chatInput({ name: "docket", subcommand: "ask", options: { text: "Forged question?" }, guildId: GUILD, user: { id: ALICE }, permissions: "32" });
  const refusedWithNothingStored = async (body: string, headers: Record<string, string>) => {
    const before = d.h.snapshot();
    const requests = d.fake.requests.length;
    const res = await d.post(body, headers);
    expect(res.status).toBe(401);
    expect(res.json).toBeUndefined();
    await d.adapter.idle();
    expect(d.h.snapshot()).toEqual(before);
    expect(d.fake.requests.length).toBe(requests);
  };

  it("refuses a tampered body", async () => {
    const body = JSON.stringify(payload());
    await refusedWithNothingStored(body.replace("Forged question?", "Tampered question"), d.signed(body));
  });

  it("refuses a signature made with another key", async () => {
    const body = JSON.stringify(payload());
    await refusedWithNothingStored(body, d.signed(body, { key: keyPair().privateKey }));
  });

  it("refuses a request without the signature headers, or with malformed ones", async () => {
    const body = JSON.stringify(payload());
    const { "x-signature-timestamp": timestamp, "x-signature-ed25519": signature } = d.signed(body);
    await refusedWithNothingStored(body, {});
    await refusedWithNothingStored(body, { "x-signature-timestamp": timestamp! });
    await refusedWithNothingStored(body, { "x-signature-ed25519": signature! });
    await refusedWithNothingStored(body, { "x-signature-ed25519": "zz".repeat(64), "x-signature-timestamp": timestamp! });
    await refusedWithNothingStored(body, { "x-signature-ed25519": signature!.slice(2), "x-signature-timestamp": timestamp! });
  });

  it("refuses a correctly signed request whose timestamp is more than 5 minutes old, or ahead", async () => {
    const body = JSON.stringify(payload());
    await refusedWithNothingStored(body, d.signed(body, { timestamp: String(d.now() - 301) }));
    await refusedWithNothingStored(body, d.signed(body, { timestamp: String(d.now() + 301) }));
    // A changed timestamp with the old signature is a forgery too.
    const fresh = d.signed(body);
    await refusedWithNothingStored(body, { ...fresh, "x-signature-timestamp": String(d.now() - 1) });
  });

  it("refuses a body over the cap with 413, unread", async () => {
    const body = JSON.stringify({ type: 1, padding: "x".repeat(300 * 1024) });
    const res = await d.post(body, d.signed(body));
    expect(res.status).toBe(413);
  });

  it("still answers a well-signed request after all that", async () => {
    const o = await d.slash("help", {}, { guildId: OTHER_GUILD });
    expect(o.status).toBe(200);
    expect(o.json?.type).toBe(4);
  });
});

describe("a follow-up that Discord refuses", () => {
  it("is given up after its retries, and Docket goes on answering", async () => {
    // why: an interaction the fake never registered has no webhook there, as when Discord has dropped it.
    const payload = d.fake.chatInput({ name: "docket", subcommand: "ask", options: { text: "Is anyone told of this one?" }, user: { id: BOB, username: "bob" }, guildId: GUILD, channelId: DOCKET_CHANNEL, permissions: "0" });
    const body = JSON.stringify(payload);
    const res = await d.post(body, d.signed(body));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).toContain("Added Q");
    // why not idle() at once: it would handle the failure itself; in production nothing waits on a follow-up.
    const tries = () => d.fake.requests.filter((r) => r.method === "POST" && r.path.includes(payload.token)).length;
    for (let i = 0; i < 200 && tries() < 5; i++) await new Promise((r) => setTimeout(r, 20));
    expect(tries()).toBe(5);
    await new Promise((r) => setTimeout(r, 100));
    await d.adapter.idle();
    expect(d.fake.messages.filter((m) => m.interactionId === payload.id)).toEqual([]);
    const help = await d.slash("help");
    expect(help.status).toBe(200);
  });
});

describe("a server Docket was removed from", () => {
  it("is found by the daily look at the bot's server list, and its digests are paused", async () => {
    const docket = (await d.h.docketOf({ platform: "discord", workspace: GUILD }))!;
    expect((await d.slash("digest on", { time: "09:00" })).shown).toContain("Digest on");
    expect((await d.h.store.subscriptions.forDocket(docket.id)).map((s) => s.state.kind)).toEqual(["active"]);
    expect(await d.adapter.checkGuilds()).toEqual([]);
    d.fake.removeBot(GUILD);
    expect(await d.adapter.checkGuilds()).toEqual([GUILD]);
    const listed = d.fake.requests.filter((r) => r.method === "GET" && r.path === "/users/@me/guilds");
    expect(listed.at(-1)?.query.limit).toBe("200");
    expect((await d.h.store.subscriptions.forDocket(docket.id)).map((s) => s.state.kind)).toEqual(["paused"]);
    // Forgotten once handled: the next check has nothing to do.
    expect(await d.adapter.checkGuilds()).toEqual([]);
  });
});
