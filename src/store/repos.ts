import type { LockKey, Repos, SearchStore } from "../core/ports.ts";
import { deliveryRepos, type Atomic } from "./delivery-repos.ts";
import { docketRepos } from "./docket-repos.ts";
import { linkRepos } from "./link-repos.ts";
import { platformStateRepo } from "./platform-state-repo.ts";
import { questionRepos } from "./question-repos.ts";
import { scheduleRepos } from "./schedule-repos.ts";
import { snapshotRepos } from "./snapshot-repos.ts";
import type { Sql } from "./sql.ts";

export interface EngineParts {
  search: SearchStore;
  /** One transaction for a repository's multi-statement write; inside a transaction, the transaction itself. */
  atomic: Atomic;
  lock(keys: readonly LockKey[]): Promise<void>;
  secretKey?: string;
}

/** Every repository over one executor: the same SQL on both engines, with the engine's search, transactions and locks. */
export function createRepos(q: Sql, parts: EngineParts): Repos {
  return {
    ...docketRepos(q),
    ...questionRepos(q),
    ...scheduleRepos(q),
    search: parts.search,
    snapshots: snapshotRepos(q, parts.atomic),
    deliveries: deliveryRepos(q, parts.atomic),
    platformState: platformStateRepo(q, parts.secretKey),
    links: linkRepos(q),
    lock: parts.lock,
  };
}
