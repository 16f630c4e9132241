import type { Database } from "better-sqlite3";
import type { PlatformStateStore } from "../core/ports.ts";
import { secretBox } from "./secret-box.ts";
import { statementCache } from "./statements.ts";

export function sqlitePlatformState(db: Database, secretKey?: string): PlatformStateStore {
  const sql = statementCache(db);
  const box = secretBox(secretKey);
  return {
    get(platform, key) {
      const row = sql("SELECT value FROM platform_state WHERE platform = ? AND key = ?").get(platform, key) as { value: string } | undefined;
      return row && box.open(row.value);
    },
    set(platform, key, value, at) {
      sql("INSERT INTO platform_state (platform, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (platform, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at").run(
        platform, key, box.seal(value), at,
      );
    },
    delete: (platform, key) => sql("DELETE FROM platform_state WHERE platform = ? AND key = ?").run(platform, key).changes > 0,
    keys: (platform, prefix) =>
      (sql("SELECT key FROM platform_state WHERE platform = ? AND substr(key, 1, length(?)) = ? ORDER BY key").all(platform, prefix, prefix) as Array<{ key: string }>).map((r) => r.key),
  };
}
