import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { isStale } from "../bin/build.js";
import { helpText } from "../src/cli.ts";
import { tempDir } from "./support/harness.ts";

// Production runs the compiled dist/ (the suite's global setup builds it when stale); these are the
// stories of that build: it answers like the sources, finds its migrations, and knows when it is stale.

const root = fileURLToPath(new URL("..", import.meta.url));
const temp = tempDir();
afterAll(() => temp.cleanup());

function compiled(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "dist/src/docket.js"), ...args], { cwd: temp.dir, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.concurrent("the compiled CLI in dist/", () => {
  it("prints the same help as the sources, without tsx", async () => {
    const run = await compiled(["help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${helpText()}\n`);
  });

  it("migrates a new database from the repository's migrations/, which it reads in place", async () => {
    const db = join(temp.dir, "compiled.sqlite");
    const run = await compiled(["migrate"], { DOCKET_DB: db });
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^Migrated .* from version 0 to \d+: 0001_init, /);
  });
});

describe("whether dist/ is stale", () => {
  const repo = join(temp.dir, "repo");
  const at = (iso: string) => new Date(iso);
  const touch = (path: string, iso: string) => utimesSync(path, at(iso), at(iso));

  it("is stale with no build, fresh after one, and stale again when a source or a tsconfig changes", () => {
    mkdirSync(join(repo, "src", "core"), { recursive: true });
    mkdirSync(join(repo, "adapters", "slack"), { recursive: true });
    for (const file of ["src/core/a.ts", "adapters/slack/b.ts", "tsconfig.json", "tsconfig.build.json"]) {
      writeFileSync(join(repo, file), "");
      touch(join(repo, file), "2026-11-01T10:00:00Z");
    }
    expect(isStale(repo)).toBe(true);

    mkdirSync(join(repo, "dist"));
    writeFileSync(join(repo, "dist", ".built"), "");
    touch(join(repo, "dist", ".built"), "2026-11-02T10:00:00Z");
    expect(isStale(repo)).toBe(false);

    writeFileSync(join(repo, "README.md"), "");
    touch(join(repo, "README.md"), "2026-11-03T10:00:00Z");
    expect(isStale(repo)).toBe(false);

    touch(join(repo, "adapters/slack/b.ts"), "2026-11-03T10:00:00Z");
    expect(isStale(repo)).toBe(true);
    touch(join(repo, "adapters/slack/b.ts"), "2026-11-01T10:00:00Z");
    touch(join(repo, "tsconfig.build.json"), "2026-11-03T10:00:00Z");
    expect(isStale(repo)).toBe(true);
  });
});

describe("one composition root", () => {
  const files = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith(".ts"))
      .map((e) => relative(root, join(e.parentPath, e.name)));
  const sources = [...files("src"), ...files("adapters")];

  it("only src/main.ts opens a database, builds a store or imports an adapter", () => {
    const wiring = sources.filter((f) => !f.startsWith("src/store/") && /\b(createSqliteStore|openMigrated|openDatabase)\b|from "(\.\.\/)+adapters\//.test(readFileSync(join(root, f), "utf8")));
    expect(wiring).toEqual(["src/main.ts"]);
  });
});
