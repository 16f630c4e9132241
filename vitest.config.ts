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
  // why: not yet passing on PostgreSQL. Some reopen the SQLite file or hold its write lock from a second
  // connection (delivery, slack digest, export); the others are not yet diagnosed (issue 9's open items).
  "tests/core/digest/delivery.test.ts",
  "tests/core/export/export.test.ts",
  "tests/adapters/chat-port-contract.test.ts",
  "tests/adapters/slack/digest.test.ts",
  "tests/adapters/slack/oauth.test.ts",
  "tests/adapters/discord/forms.test.ts",
  "tests/core/parse/plain-text-property.test.ts",
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
