/**
 * Three real `docket start` processes on one PostgreSQL database, behind a round-robin TCP proxy on
 * loopback, against the fake Slack: signed commands spread over them get unique gap-free numbers;
 * 100 channels subscribed for the same minute each get exactly one digest while the replica posting
 * them is killed with SIGKILL mid-post (the others take its claims over once the lease ends); an
 * OAuth install started on one replica completes on another.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, connect, type Server } from "node:net";
import { resolve } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeSlack, type FakeSlack } from "../fakes/slack/fake-slack.ts";
import { postSlashCommand } from "../fakes/slack/signed-request.ts";
import { freePort } from "../support/free-port.ts";
import { tempDir } from "../support/harness.ts";
import { freshDatabase, testPostgres, type FreshDatabase } from "../support/postgres.ts";

const bin = resolve("bin/docket.js");
const SECRET = "docket-replica-signing-secret";
const TOKEN = "xoxb-1-docket-replicas";
const leaseSeconds = 30;

interface Replica {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<void>;
}

const server = await testPostgres();

describe.skipIf(!server)("three replicas on one PostgreSQL database", () => {
  const temp = tempDir();
  let fake: FakeSlack;
  let db: FreshDatabase;
  let pool: pg.Pool;
  let proxy: Server;
  let proxyUrl: string;
  const replicas: Replica[] = [];
  const connectionsTo = new Map<number, number>();

  function start(port: number): Replica {
    const env = {
      PATH: process.env.PATH ?? "", HOME: temp.dir, LOG_LEVEL: "warn", DATABASE_URL: db.url, PORT: String(port), DOCKET_LEASE_SECONDS: String(leaseSeconds),
      SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url,
      SLACK_CLIENT_ID: "111.222", SLACK_CLIENT_SECRET: "client-secret", SLACK_STATE_SECRET: "state-secret", DOCKET_SECRET_KEY: "correct horse battery staple",
    };
    const child = spawn(process.execPath, [bin, "start"], { cwd: temp.dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (output += d));
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    return { child, port, output: () => output, exited };
  }

  async function healthy(r: Replica): Promise<void> {
    for (let i = 0; ; i++) {
      if (r.child.exitCode !== null) throw new Error(`docket exited: ${r.output()}`);
      if (await fetch(`http://127.0.0.1:${r.port}/healthz`).then((res) => res.ok, () => false)) return;
      if (i > 400) throw new Error(`docket never listened: ${r.output()}`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  beforeAll(async () => {
    // why an admin: `digest on` is for the docket's admins, and a workspace admin is one.
    fake = await startFakeSlack({ users: { U0ALICE: { name: "alice", is_admin: true } } });
    db = await freshDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    for (const port of ports) replicas.push(start(port));
    await Promise.all(replicas.map(healthy));
    // why TCP round-robin: each connection the proxy accepts goes to the next replica in turn, as a layer-4 balancer would.
    let next = 0;
    proxy = createServer((socket) => {
      const live = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
      const target = live[next++ % live.length]!;
      connectionsTo.set(target.port, (connectionsTo.get(target.port) ?? 0) + 1);
      const upstream = connect(target.port, "127.0.0.1");
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    });
    await new Promise<void>((done) => proxy.listen(0, "127.0.0.1", done));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  }, 60_000);

  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill("SIGTERM");
    await Promise.all(replicas.map((r) => Promise.race([r.exited, new Promise((done) => setTimeout(done, 5000))])));
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill("SIGKILL");
    await new Promise((done) => proxy?.close(done));
    await pool?.end();
    await db?.drop();
    await fake?.close();
    temp.cleanup();
  }, 30_000);

  const command = (text: string, fields: Record<string, string> = {}, id = `r-${Math.random()}`) =>
    postSlashCommand(`${proxyUrl}/slack/events`, SECRET, { text, response_url: fake.responseUrl(id), ...fields });
  const replyOf = (res: { json: unknown; body: string }) => (res.json === undefined ? res.body : JSON.stringify(res.json));

  it("600 signed commands spread over the three get unique, gap-free Q numbers and no error replies", async () => {
    const numbers: number[] = [];
    const refused: string[] = [];
    let sent = 0;
    const worker = async () => {
      while (sent < 600) {
        const i = ++sent;
        const res = await command(`ask "Replica question ${i}?"`);
        const added = res.status === 200 ? /Added Q(\d+)/.exec(replyOf(res)) : null;
        if (added) numbers.push(Number(added[1]));
        else refused.push(`${res.status} ${replyOf(res)}`);
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    expect(refused).toEqual([]);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    const { rows } = await pool.query<{ number: number }>("SELECT number FROM questions ORDER BY number");
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    // Every replica served some of them.
    for (const r of replicas) expect(connectionsTo.get(r.port) ?? 0, `connections to replica on ${r.port}`).toBeGreaterThan(0);
  }, 120_000);

  it("100 channels subscribed for one minute each get exactly one digest, the posting replica killed with SIGKILL mid-post", async () => {
    // The slot: the first whole UTC minute at least 20 s away, so every subscription is in before it.
    const slot = new Date(Math.ceil((Date.now() + 20_000) / 60_000) * 60_000);
    const hhmm = slot.toISOString().slice(11, 16);
    const channels = Array.from({ length: 100 }, (_, i) => `C0DIGEST${String(i).padStart(3, "0")}`);
    const refused: string[] = [];
    for (let i = 0; i < channels.length; i += 10)
      await Promise.all(
        channels.slice(i, i + 10).map(async (channel) => {
          const res = await command(`digest on ${hhmm} tz:UTC`, { channel_id: channel, channel_name: channel.toLowerCase() });
          if (res.status !== 200 || !/digest/i.test(replyOf(res)) || /sorry|not allowed|only an admin/i.test(replyOf(res))) refused.push(`${channel}: ${res.status} ${replyOf(res)}`);
        }),
      );
    expect(refused).toEqual([]);
    expect(Date.now()).toBeLessThan(slot.getTime());
    // why: a slow Slack keeps the posts in flight long enough for the kill to land mid-post; each lands all the same.
    fake.stall("chat.postMessage", 3000, 1000);

    // Once parts are being sent, kill the replica holding the most claims (its name in the ledger carries its pid).
    let killed: Replica | undefined;
    for (let i = 0; !killed; i++) {
      if (Date.now() > slot.getTime() + 30_000) throw new Error("no replica started posting the digests");
      const { rows } = await pool.query<{ claimed_by: string; n: string }>(
        `SELECT d.claimed_by, count(*) AS n FROM digest_deliveries d JOIN digest_delivery_parts p USING (subscription_id, local_date)
         WHERE d.state = 'claimed' AND p.attempted_at IS NOT NULL AND p.message_id IS NULL GROUP BY d.claimed_by ORDER BY count(*) DESC`,
      );
      const holder = rows[0];
      if (holder) {
        const pid = Number(holder.claimed_by.split("/")[1]);
        killed = replicas.find((r) => r.child.pid === pid);
        expect(killed, `a replica with pid ${pid}`).toBeDefined();
        killed!.child.kill("SIGKILL");
        await killed!.exited;
      } else await new Promise((done) => setTimeout(done, 100));
    }
    expect(killed.child.signalCode).toBe("SIGKILL");

    // Within the lease and a minute (the survivors' next tick), every channel's delivery is sent.
    const deadline = slot.getTime() + (leaseSeconds + 90) * 1000;
    let sent = 0;
    while (Date.now() < deadline) {
      const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM digest_deliveries WHERE state = 'sent'");
      sent = Number(rows[0]!.n);
      if (sent === channels.length) break;
      await new Promise((done) => setTimeout(done, 500));
    }
    expect(sent).toBe(channels.length);
    const { rows: taken } = await pool.query<{ attempts: number }>("SELECT attempts FROM digest_deliveries WHERE attempts > 1");
    expect(taken.length, "deliveries taken over from the killed replica").toBeGreaterThan(0);

    // Exactly one message per part of each channel's digest, one digest per channel.
    for (const channel of channels) {
      const payloads = fake.messages
        .filter((m) => m.channel === channel)
        .map((m) => m.metadata as { event_type?: string; event_payload?: { delivery_key: string; part: number; parts: number } } | undefined)
        .filter((meta) => meta?.event_type === "docket_digest")
        .map((meta) => meta!.event_payload!);
      expect(new Set(payloads.map((p) => p.delivery_key)).size, channel).toBe(1);
      expect(payloads.map((p) => p.part).sort((a, b) => a - b), channel).toEqual(Array.from({ length: payloads[0]!.parts }, (_, i) => i + 1));
    }
  }, 200_000);

  it("an OAuth install started on one replica completes on another", async () => {
    const live = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    expect(live.length).toBeGreaterThanOrEqual(2);
    const [first, second] = live as [Replica, Replica];
    const start = await fetch(`http://127.0.0.1:${first.port}/slack/install`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    const cookie = start.headers.get("set-cookie")!.split(";")[0]!;
    fake.setOAuthResponse({ access_token: "xoxb-2-other-coalition", team: { id: "T0OTHER", name: "Other Coalition" }, authed_user: { id: "U0INSTALLER" } });
    const back = await fetch(`http://127.0.0.1:${second.port}/slack/oauth_redirect?code=code-T0OTHER&state=${encodeURIComponent(authorize.searchParams.get("state")!)}`, { headers: { cookie } });
    expect(back.status, await back.text()).toBe(200);
    const { rows } = await pool.query("SELECT value FROM platform_state WHERE platform = 'slack' AND key = 'installation:T0OTHER'");
    expect(rows).toHaveLength(1);
    // The new workspace is served by every replica, whichever the balancer picks.
    for (let i = 0; i < 3; i++) {
      const res = await command(`ask "Other coalition question ${i}?"`, { team_id: "T0OTHER", team_domain: "other-coalition", channel_id: "C0OTHER", user_id: "U0OTHER" });
      expect(replyOf(res)).toContain(`Added Q${i + 1}`);
    }
  }, 60_000);
});
