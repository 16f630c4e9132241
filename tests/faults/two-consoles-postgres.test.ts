import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { freshDatabase, testPostgres, type FreshDatabase } from "../support/postgres.ts";
import { tempDir } from "../support/harness.ts";
import { runDocket } from "../support/run-docket.ts";

const server = await testPostgres();
const temp = tempDir();
const databases: FreshDatabase[] = [];
afterAll(async () => {
  for (const d of databases.splice(0)) await d.drop();
  temp.cleanup();
});

const asks = (who: string, n: number) => Array.from({ length: n }, (_, i) => `ask "${who} question ${i + 1}?"`).join("\n");

describe.skipIf(!server)("two consoles on one PostgreSQL database (DATABASE_URL, npm start)", () => {
  it("ask at once without clashing: one docket, every question numbered once, no error", async () => {
    const database = await freshDatabase();
    databases.push(database);
    const env = { DATABASE_URL: database.url, LOG_LEVEL: "error" };
    const [a, b] = await Promise.all([
      runDocket(["start"], { cwd: temp.dir, env, input: asks("Amina", 60) }),
      runDocket(["start"], { cwd: temp.dir, env, input: asks("Bo", 60) }),
    ]);
    for (const run of [a, b]) {
      expect(run.code).toBe(0);
      expect(run.stdout.match(/^Added Q\d+/gm)).toHaveLength(60);
      expect(run.stdout + run.stderr).not.toMatch(/went wrong|error/i);
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const numbers = (await client.query<{ number: number }>("SELECT number FROM questions ORDER BY number")).rows.map((r) => r.number);
      expect(numbers).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      expect((await client.query("SELECT id FROM dockets")).rowCount).toBe(1);
    } finally {
      await client.end();
    }
  });
});
