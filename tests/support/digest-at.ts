import { buildDigest, type DigestRequest } from "../../src/core/digest/model.ts";
import type { Harness } from "./harness.ts";

export const noFilter = { tag: null, addressee: null, deadlineNumber: null };

/** The digest of the harness's first docket at `now`, in London, unfiltered unless `extra` says otherwise. */
export async function digestAt(h: Harness, now: string, extra: Partial<DigestRequest> = {}) {
  const docket = (await h.store.dockets.list())[0]!;
  return buildDigest(h.store, { docket, timeZone: "Europe/London", filter: noFilter, now: new Date(now), since: null, openLimit: 10, commandName: "docket", ...extra });
}
