// The Discord baseline of `npm run bench -- --side-by-side`: the smallest interactions endpoint,
// node:http and an Ed25519 check with node:crypto (timestamp within five minutes, as Docket checks),
// answering every command with a fixed ephemeral message (type 4) and no storage. Plain JavaScript
// run by plain node. Environment: PORT, DISCORD_PUBLIC_KEY (64 hex characters).
import { createPublicKey, verify } from "node:crypto";
import { createServer } from "node:http";

const key = createPublicKey({ key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(process.env.DISCORD_PUBLIC_KEY ?? "", "hex")]), format: "der", type: "spki" });
const answer = JSON.stringify({ type: 4, data: { content: "Docket is here.", flags: 64, allowed_mentions: { parse: [] } } });

const server = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/discord/interactions") {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const signature = req.headers["x-signature-ed25519"];
    const timestamp = req.headers["x-signature-timestamp"];
    const fresh = typeof timestamp === "string" && Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
    if (typeof signature !== "string" || !fresh || !verify(null, Buffer.concat([Buffer.from(timestamp), body]), key, Buffer.from(signature, "hex"))) {
      res.writeHead(401).end();
      return;
    }
    const interaction = JSON.parse(body.toString("utf8"));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(interaction.type === 1 ? '{"type":1}' : answer);
  });
});
server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => process.stdout.write("bare discord listening\n"));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
