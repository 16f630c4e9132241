import { ensureBuilt } from "../../bin/build.js";

// why: tests spawn bin/docket.js, which runs dist/; building it once here, before any worker starts,
// keeps a stale build from being compiled by several spawned CLIs at once inside a test's timeout.
export default function setup(): void {
  ensureBuilt();
}
