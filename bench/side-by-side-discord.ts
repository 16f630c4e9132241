/**
 * The Discord half of `npm run bench -- --side-by-side`: Docket's interactions endpoint (Discord over
 * HTTP) against the smallest node:http + Ed25519 endpoint (bench/bare-discord.js), each a child
 * process run by plain node, measured alone, with the same commands and measures as Slack's.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "../bin/build.js";
import { startFakeDiscord } from "../tests/fakes/discord/fake-discord.ts";
import { createClient, type Shot, type Target } from "./load.ts";
import { measurePair, spawnChild, type Child, type Command, type Pair, type SideBySideFigures, type SideBySideOptions } from "./side-by-side.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const token = "docket.bench.token";
const guild = "1400000000000000001";
const channel = "1400000000000000003";
const member = { id: "1400000000000000100", username: "alice" };
const path = "/discord/interactions";

/** A request signed as Discord signs it: Ed25519 over timestamp + body. */
function signed(body: string, key: KeyObject): Shot {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return { body, headers: { "content-type": "application/json", "x-signature-ed25519": sign(null, Buffer.from(timestamp + body), key).toString("hex"), "x-signature-timestamp": timestamp } };
}

export async function benchDiscordSideBySide(o: SideBySideOptions): Promise<SideBySideFigures> {
  const progress = o.progress ?? (() => {});
  ensureBuilt();
  const fake = await startFakeDiscord({ token, guilds: [{ id: guild, name: "Treaty Coalition", channels: [{ id: channel, name: "docket" }], members: [{ ...member, globalName: "Alice" }] }] });
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  // why: the SPKI encoding of an Ed25519 key is a fixed 12-byte header and then the raw 32 bytes.
  const publicHex = publicKey.export({ format: "der", type: "spki" }).subarray(12).toString("hex");
  const children: Child[] = [];
  const client = createClient(o.connections ?? 16);
  try {
    const probe = o.profileDir ? ["--import", join(root, "bench/probe.js")] : [];
    const probeEnv: Record<string, string> = o.profileDir ? { DOCKET_BENCH_PROBE_DIR: o.profileDir } : {};
    const bareLog = join(o.scratch, "bare-discord.log");
    const bare = await spawnChild("bare-discord", [...probe, join(root, "bench/bare-discord.js")], { DISCORD_PUBLIC_KEY: publicHex, ...probeEnv }, o.scratch, async () => readFileSync(bareLog, "utf8").includes("listening"));
    children.push(bare);
    const docket = await spawnChild("discord-docket", [...probe, ...(o.docketNodeFlags ?? []), join(root, "bin/docket.js"), "start"], {
      ...probeEnv,
      DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_PUBLIC_KEY: publicHex, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guild,
      DOCKET_DB: join(o.scratch, "side-by-side-discord.sqlite"),
    }, o.scratch, async (port) => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200);
    children.push(docket);
    const targets: Pair<Target> = {
      bare: { name: "bare Discord endpoint", port: bare.port, path, pid: bare.child.pid! },
      docket: { name: "Docket (Discord)", port: docket.port, path, pid: docket.child.pid! },
    };
    const payload = (subcommand: string, options: Record<string, string>) =>
      fake.chatInput({ name: "docket", subcommand, options, user: member, guildId: guild, channelId: channel, permissions: "0" });
    const interaction = (subcommand: string, options: Record<string, string>) => JSON.stringify(payload(subcommand, options));

    const questions = o.questions ?? 300;
    let asked = 0;
    const seeder = async () => {
      while (asked < questions) {
        const i = ++asked;
        // why: ask's public line follows through the interaction's webhook, which Discord knows once it has the response.
        const p = fake.registerHttpInteraction(payload("ask", { text: `Question ${i}: what does membership category ${i % 17} cost?`, to: "ITU" }));
        const r = await client.send(targets.docket, signed(JSON.stringify(p), privateKey), true);
        if (r.status !== 200 || !r.body.includes("Q")) throw new Error(`seeding answered ${r.status}: ${r.body.slice(0, 200)}`);
        fake.applyHttpResponse(p.id, JSON.parse(r.body));
      }
    };
    await Promise.all(Array.from({ length: 8 }, seeder));
    progress(`side by side (Discord): docket seeded with ${questions} questions`);

    const bodies: Record<Command, string> = {
      help: interaction("help", {}),
      list: interaction("list", {}),
      note: interaction("note", { question: "Q1", text: "Heard again at the 9 Oct briefing; they promised a reply by Friday" }),
    };
    const expect = { help: /list/, list: /Q1\b/, note: /Noted on Q1/ } as const;
    for (const cmd of ["help", "list", "note"] as const) {
      const r = await client.send(targets.docket, signed(bodies[cmd], privateKey), true);
      if (r.status !== 200 || !expect[cmd].test(r.body)) throw new Error(`Docket's Discord ${cmd} answered ${r.status}: ${r.body.slice(0, 300)}`);
    }
    // why: Discord's endpoint keeps no memory of requests, so one body signed before each run is sent
    // again and again (its timestamp stays good for 5 minutes), and the bench signs nothing while measuring.
    return await measurePair(client, targets, (cmd) => {
      const shot = signed(bodies[cmd], privateKey);
      return () => shot;
    }, o);
  } finally {
    client.close();
    for (const c of children.reverse()) await c.stop();
    await fake.close();
  }
}
