import type { Repos, VersionedDocket } from "./ports.ts";
import type { Deadline, Platform, Workspace } from "./types.ts";

/** What a command reads of its docket that rarely changes: from memory while the docket's version holds, or straight from a store. */
export interface DocketReads {
  /** The repositories the command runs on; the docket's `deadlines.list` and `deadlines.get` may be answered from memory. */
  readonly store: Repos;
  /** Whether the docket's own admin list names this user, or one of these roles. */
  listsAdmin(platform: Platform, userId: string, roleIds: readonly string[]): Promise<boolean>;
}

/** Reads that go to `repos` every time: what a mutating command uses inside its transaction, under its locks. */
export function directReads(repos: Repos, docketId: number): DocketReads {
  return {
    store: repos,
    listsAdmin: async (platform, userId, roleIds) => docketId !== 0 && repos.admins.includes(docketId, platform, userId, roleIds),
  };
}

interface Entry {
  createdAt: string;
  version: number;
  deadlines?: Promise<readonly Deadline[]>;
  admins?: Promise<ReadonlySet<string>>;
  workspaces?: Promise<readonly Workspace[]>;
}

const adminKey = (kind: "member" | "role", platform: Platform, id: string) => `${kind}\u0000${platform}\u0000${id}`;

/** Deep-frozen, so a command that changed a kept deadline would fail loudly instead of changing what the next command reads. */
function frozen(d: Deadline): Deadline {
  if (d.milestones) {
    Object.freeze(d.milestones.days);
    if (d.milestones.ping) Object.freeze(d.milestones.ping);
    Object.freeze(d.milestones);
  }
  return Object.freeze(d);
}

/**
 * Each docket's deadlines, admins and workspaces, kept in memory and keyed by the docket's version. The store
 * raises that version in the transaction of every change to them (ports.ts, VersionedDocket), and
 * every command reads it with its docket anyway: so an entry is served only while the version just
 * read is the one it was filled at, and another replica's change is seen at this replica's next command.
 *
 * why the data may be newer than its version, never older: an entry is filled after its version
 * was read, and a change commits its version with it; a newer version then replaces the entry.
 */
export function createDocketCache(options: { limit?: number } = {}) {
  const limit = options.limit ?? 1000;
  const entries = new Map<number, Entry>();

  const entryFor = ({ docket, version }: VersionedDocket): Entry => {
    const known = entries.get(docket.id);
    if (known && known.createdAt === docket.createdAt && known.version === version) return known;
    const fresh: Entry = { createdAt: docket.createdAt, version };
    // why not when older: a command that read an older version than another already kept must not push the newer entry out.
    if (!known || known.createdAt !== docket.createdAt || known.version < version) {
      entries.delete(docket.id);
      entries.set(docket.id, fresh);
      // why: a bound on memory for a process serving many dockets; the oldest kept goes first.
      if (entries.size > limit) entries.delete(entries.keys().next().value!);
    }
    return fresh;
  };

  /** Keeps a load's promise so concurrent commands share one read; a failed read is forgotten, not kept. */
  function kept<K extends "deadlines" | "admins" | "workspaces">(entry: Entry, key: K, load: () => Promise<NonNullable<Entry[K]> extends Promise<infer T> ? T : never>): NonNullable<Entry[K]> {
    const have = entry[key];
    if (have) return have as NonNullable<Entry[K]>;
    const loading = load();
    (entry as Record<K, unknown>)[key] = loading;
    loading.catch(() => {
      if (entry[key] === loading) delete entry[key];
    });
    return loading as NonNullable<Entry[K]>;
  }

  return {
    /** Reads for a read-only command of a docket as read at `bound` (none yet: there is nothing to keep). */
    reads(store: Repos, bound: VersionedDocket | undefined): DocketReads {
      if (!bound) return directReads(store, 0);
      const entry = entryFor(bound);
      const docketId = bound.docket.id;
      const deadlines = () => kept(entry, "deadlines", async () => (await store.deadlines.list(docketId)).map(frozen));
      const admins = () =>
        kept(entry, "admins", async () => new Set((await store.admins.list(docketId)).map((a) => adminKey(a.kind, a.platform, a.id))));
      const workspaces = () => kept(entry, "workspaces", async () => (await store.workspaces.forDocket(docketId)).map((w) => Object.freeze(w)));
      const view: Repos = {
        ...store,
        // why: who shares the docket decides how names read (people.ts), on every list and show.
        workspaces: { ...store.workspaces, forDocket: async (id) => (id === docketId ? [...(await workspaces())] : store.workspaces.forDocket(id)) },
        deadlines: {
          ...store.deadlines,
          list: async (id) => (id === docketId ? [...(await deadlines())] : store.deadlines.list(id)),
          get: async (id, number) => (id === docketId ? (await deadlines()).find((d) => d.number === number) : store.deadlines.get(id, number)),
        },
      };
      return {
        store: view,
        async listsAdmin(platform, userId, roleIds) {
          const listed = await admins();
          return listed.has(adminKey("member", platform, userId)) || roleIds.some((r) => listed.has(adminKey("role", platform, r)));
        },
      };
    },
  };
}

export type DocketCache = ReturnType<typeof createDocketCache>;
