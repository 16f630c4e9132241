// Keeps dist/ (the compiled JavaScript production runs) in step with the TypeScript sources. Plain
// JavaScript, so it runs before anything is built. `npm install` builds through `prepare`;
// bin/docket.js and the test suite rebuild when a source is newer than the last build.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));
const sourceDirs = ["src", "adapters"];
const sourceFiles = ["tsconfig.json", "tsconfig.build.json"];

/** Newest modification time (ms) of a file, or of any .ts file under a directory. */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) latest = Math.max(latest, newest(join(path, entry.name)));
    else if (entry.name.endsWith(".ts")) latest = Math.max(latest, statSync(join(path, entry.name)).mtimeMs);
  }
  return latest;
}

/**
 * True when dist/ is missing or older than a source. Cheap (one stat per source file, a few
 * milliseconds), so every start can afford it.
 */
export function isStale(dir = root) {
  const built = statSync(join(dir, "dist", ".built"), { throwIfNoEntry: false });
  if (!built) return true;
  const sources = Math.max(...sourceDirs.map((d) => newest(join(dir, d))), ...sourceFiles.map((f) => newest(join(dir, f))));
  return sources > built.mtimeMs;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Compiles src/ and adapters/ into dist/ with tsconfig.build.json, then stamps it. One process
 * builds at a time (a lock directory); the others wait for it and use its build.
 */
export function build(dir = root) {
  const lock = join(dir, "dist", ".build-lock");
  mkdirSync(join(dir, "dist"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      // why: a build killed half-way leaves its lock behind; no build takes five minutes.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      sleep(200);
      if (!statSync(lock, { throwIfNoEntry: false }) && !isStale(dir)) return;
    }
  }
  try {
    let tsc;
    try {
      tsc = createRequire(join(dir, "package.json")).resolve("typescript/bin/tsc");
    } catch {
      throw new Error("dist/ is missing or out of date and TypeScript is not installed to build it: run npm install.");
    }
    if (process.stderr.isTTY) process.stderr.write("docket: compiling to dist/ (the sources changed)…\n");
    // why: stdout is the operator's (an export, a manifest); the compiler's report goes to stderr.
    const result = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.build.json")], { cwd: dir, stdio: ["ignore", 2, 2] });
    if (result.status !== 0) throw new Error(`Compiling dist/ failed (tsc exited ${result.status ?? result.signal}); the errors are above.`);
    writeFileSync(join(dir, "dist", ".built"), `${new Date().toISOString()}\n`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds dist/ when it is stale; returns whether it built. */
export function ensureBuilt(dir = root) {
  if (!isStale(dir)) return false;
  build(dir);
  return true;
}

// `node bin/build.js` (npm's prepare): build now, whatever the stamp says.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    build();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
