import { resolvedVariable, testPostgres } from "./postgres.ts";

// why: resolved once, before any worker starts, so a run starts at most one throwaway cluster and
// says "skipped" once; workers (and the processes tests spawn) inherit the answer through the environment.
export default async function setup(): Promise<() => void> {
  const server = await testPostgres();
  process.env[resolvedVariable] = server?.url ?? "";
  return () => server?.stop?.();
}
