import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { migratePostgres, openPostgres } from "../../src/store/postgres/open-postgres.ts";
import { answers, noPostgres, postgresBinaries, redacted, startThrowawayCluster } from "../support/postgres.ts";

describe("without a PostgreSQL server", () => {
  it("says in one line that the PostgreSQL tests skip, without the password", () => {
    expect(noPostgres("postgres://docket:s3cret@db.example:5432/postgres", {})).toBe("PostgreSQL tests skipped: no server at postgres://docket:***@db.example:5432/postgres and no initdb");
  });

  it("fails instead when CI requires PostgreSQL, so a skip cannot pass as a run", () => {
    expect(() => noPostgres("postgres://postgres@127.0.0.1:5432/postgres", { DOCKET_REQUIRE_PG: "1" })).toThrow(
      /PostgreSQL is required \(DOCKET_REQUIRE_PG=1\) but there is no server at postgres:\/\/postgres@127\.0\.0\.1:5432\/postgres and no initdb: start one/,
    );
  });

  it("finds no binaries where there are none", () => {
    expect(postgresBinaries({ PGBIN: "/nonexistent", PATH: "" })).toBeUndefined();
  });

  it("hides nothing but the password", () => {
    expect(redacted("postgres://postgres@127.0.0.1:5432/postgres")).toBe("postgres://postgres@127.0.0.1:5432/postgres");
  });
});

const binaries = postgresBinaries();

describe.skipIf(!binaries)("a throwaway cluster", () => {
  it("starts on a free loopback port, takes migrations, and leaves nothing behind when stopped", { timeout: 60_000 }, async () => {
    const cluster = await startThrowawayCluster(binaries!);
    const pool = openPostgres(cluster.url, { max: 1 });
    try {
      expect(await answers(cluster.url)).toBe(true);
      expect((await migratePostgres(pool)).applied.length).toBeGreaterThan(0);
      const { rows } = await pool.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
      await pool.end();
      cluster.stop!();
      expect(existsSync(dirname(rows[0]!.dir))).toBe(false);
      expect(await answers(cluster.url, 500)).toBe(false);
    } finally {
      cluster.stop!();
      await pool.end().catch(() => undefined);
    }
  });
});
