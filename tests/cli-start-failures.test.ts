import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeSlack, type FakeSlack } from "./fakes/slack/fake-slack.ts";
import { tempDir } from "./support/harness.ts";
import { runDocket, type Run } from "./support/run-docket.ts";

// `docket start` refused by what it connects to: the operator reads one line with the fix and the
// process exits 2, as for any other operator mistake; no stack trace reaches them.

const temp = tempDir();
let fake: FakeSlack;
let taken: Server;
beforeAll(async () => {
  fake = await startFakeSlack({ validTokens: ["xoxb-the-right-one"] });
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await fake.close();
  await new Promise((resolve) => taken.close(resolve));
  temp.cleanup();
});

function start(env: Record<string, string>): Promise<Run> {
  return runDocket(["start"], { cwd: temp.dir, env: { DOCKET_DB: join(temp.dir, `${Object.values(env).join("-").replace(/\W+/g, "-")}.sqlite`), ...env } });
}

describe.concurrent("docket start: a platform that refuses", { timeout: 60_000 }, () => {
  it("a Slack token Slack refuses: one line naming the token, exit 2, no stack trace", async () => {
    const run = await start({ SLACK_BOT_TOKEN: "xoxb-wrong", SLACK_SIGNING_SECRET: "secret", SLACK_API_URL: fake.url, PORT: "0", LOG_LEVEL: "error" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^docket: Slack did not accept SLACK_BOT_TOKEN \(invalid_auth\); check the token and SLACK_API_URL\.\n$/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("a port another program holds: one line saying so and what to do, exit 2", async () => {
    const address = taken.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const run = await start({ SLACK_BOT_TOKEN: "xoxb-the-right-one", SLACK_SIGNING_SECRET: "secret", SLACK_API_URL: fake.url, PORT: String(port), LOG_LEVEL: "error" });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`docket: PORT ${port} is already taken by another program: stop it, or set PORT to a free port.\n`);
  });
});
