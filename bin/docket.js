#!/usr/bin/env node
// Runs the compiled JavaScript in dist/, compiling it first when a source changed since the last build.
import { ensureBuilt } from "./build.js";

try {
  ensureBuilt();
} catch (error) {
  process.stderr.write(`docket: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
await import("../dist/src/docket.js");
