import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // why postgres-setup: finds or starts the PostgreSQL server once per run (tests/support/postgres.ts).
    globalSetup: ["tests/support/build-dist.ts", "tests/support/postgres-setup.ts"],
    // why: several suites start real HTTP servers and SQLite files; two cores share the work.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
