import { defineConfig } from "vitest/config";

/**
 * Test files that are about SQLite itself (its files, pragmas, triggers, locks, backups) or about
 * processes and platforms rather than the store, so they run on SQLite only. Every other file runs
 * twice: once on SQLite and once on PostgreSQL.
 */
const sqliteOnly = [
  "tests/store/**",
  "tests/faults/**",
  "tests/fakes/**",
  "tests/cli*.test.ts",
  "tests/build.test.ts",
  "tests/config*.test.ts",
  "tests/architecture.test.ts",
  "tests/readme.test.ts",
  // why: these install SQLite triggers or copy the database file.
  "tests/core/commands/audit.test.ts",
  "tests/core/commands/reopen-and-backup.test.ts",
];

export default defineConfig({
  test: {
    // why postgres-setup: finds or starts the PostgreSQL server once per run (tests/support/postgres.ts).
    globalSetup: ["tests/support/build-dist.ts", "tests/support/postgres-setup.ts"],
    // why: several suites start real HTTP servers and SQLite files; two cores share the work.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: "sqlite", include: ["tests/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "postgres",
          include: ["tests/**/*.test.ts"],
          exclude: sqliteOnly,
          env: { DOCKET_TEST_ENGINE: "postgres" },
          setupFiles: ["tests/support/postgres-each.ts"],
        },
      },
    ],
  },
});
