import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/support/build-dist.ts"],
    // why: several suites start real HTTP servers and SQLite files; two cores share the work.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
