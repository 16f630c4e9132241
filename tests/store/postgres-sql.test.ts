import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compilePlaceholders, pgSql, valuesFor } from "../../src/store/postgres/pg-sql.ts";
import { openPostgres } from "../../src/store/postgres/open-postgres.ts";
import { freshDatabase, testPostgres, type FreshDatabase } from "../support/postgres.ts";

describe("placeholders become $n", () => {
  it("numbers ? in order", () => {
    expect(compilePlaceholders("SELECT * FROM t WHERE a = ? AND b = ?")).toEqual({ text: "SELECT * FROM t WHERE a = $1 AND b = $2", names: null, count: 2 });
  });

  it("leaves a ? or @name inside string literals, quoted identifiers and comments alone", () => {
    const sql = `SELECT 'why? @x', 'it''s ? @y', E'a\\' ? @z', "odd?col", $$ ? @w $$ -- ? @c\nFROM t /* ? */ WHERE a = ?`;
    const { text, count } = compilePlaceholders(sql);
    expect(count).toBe(1);
    expect(text).toBe(sql.replace(/\?$/, "$1"));
  });

  it("gives a repeated @name one number, by first appearance", () => {
    expect(compilePlaceholders("SELECT @b, @a, @b, @a_2 FROM t WHERE x = @a")).toEqual({ text: "SELECT $1, $2, $1, $3 FROM t WHERE x = $2", names: ["b", "a", "a_2"], count: 0 });
  });

  it("reads @@ as the full-text match operator, even when a name follows it", () => {
    expect(compilePlaceholders("SELECT 1 WHERE search @@q AND search @@ to_tsquery(@match)").text).toBe("SELECT 1 WHERE search @@q AND search @@ to_tsquery($1)");
  });

  it("refuses text that mixes ? and @name", () => {
    expect(() => compilePlaceholders("SELECT ?, @a")).toThrow(/mixes \? and @name/);
  });

  it("orders named values by number and refuses a missing one", () => {
    const sql = compilePlaceholders("SELECT @b, @a, @b");
    expect(valuesFor(sql, { a: 1, b: 2, unused: 3 })).toEqual([2, 1]);
    expect(() => valuesFor(sql, { a: 1 })).toThrow(/Missing named parameter @b/);
    expect(() => valuesFor(sql, [1, 2])).toThrow(/named parameters/);
    expect(() => valuesFor(compilePlaceholders("SELECT ?"), [])).toThrow(/takes 1 values, got 0/);
  });
});

const server = await testPostgres();

describe.skipIf(!server)("pgSql on a live database", () => {
  let db: FreshDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await freshDatabase();
    pool = openPostgres(db.url, { max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it("reads counts, bigints and numerics as numbers, as SQLite's rows have them", async () => {
    const sql = pgSql(pool);
    const row = await sql.get<{ n: unknown; big: unknown; num: unknown; int: unknown }>("SELECT count(*) AS n, 9007199254740991::bigint AS big, 2.5::numeric AS num, 7 AS int FROM generate_series(1, 3)");
    expect(row).toEqual({ n: 3, big: 9007199254740991, num: 2.5, int: 7 });
  });

  it("gets one row or undefined, all rows, and the number of rows a write changed", async () => {
    const sql = pgSql(pool);
    expect(await sql.run("INSERT INTO platform_state (platform, key, value, updated_at) VALUES (?, ?, ?, ?), ('slack', 'b', 'x?', 'now')", ["slack", "a", "it's", "now"])).toBe(2);
    expect(await sql.get("SELECT value FROM platform_state WHERE platform = @p AND key = @k", { p: "slack", k: "a" })).toEqual({ value: "it's" });
    expect(await sql.get("SELECT value FROM platform_state WHERE key = ?", ["none"])).toBeUndefined();
    expect(await sql.all("SELECT key FROM platform_state WHERE platform = @p AND value <> '?' ORDER BY key", { p: "slack" })).toEqual([{ key: "a" }, { key: "b" }]);
    expect(await sql.run("UPDATE platform_state SET value = 'y' WHERE key = 'none'")).toBe(0);
    expect(sql.engine).toBe("postgres");
  });

  it("runs on a checked-out client inside its transaction", async () => {
    const client = await pool.connect();
    try {
      const tx = pgSql(client);
      await client.query("BEGIN");
      await tx.run("INSERT INTO platform_state (platform, key, value, updated_at) VALUES (?, ?, ?, ?)", ["discord", "t", "v", "now"]);
      expect(await tx.get("SELECT count(*) AS n FROM platform_state WHERE platform = 'discord'")).toEqual({ n: 1 });
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    expect(await pgSql(pool).get("SELECT count(*) AS n FROM platform_state WHERE platform = 'discord'")).toEqual({ n: 0 });
  });
});
