/** The repository root bin/build.js keeps dist/ for. */
export const root: string;
/** True when dist/ is missing or older than a source under src/ or adapters/, or a tsconfig. */
export function isStale(dir?: string): boolean;
/** Compiles into dist/ and stamps it; one process at a time. Throws when the compiler fails. */
export function build(dir?: string): void;
/** Builds when stale; returns whether it built. */
export function ensureBuilt(dir?: string): boolean;
