import type { PlatformStateStore } from "../core/ports.ts";
import { secretBox } from "./secret-box.ts";
import type { Sql } from "./sql.ts";

export function platformStateRepo(q: Sql, secretKey?: string): PlatformStateStore {
  const box = secretBox(secretKey);
  return {
    async get(platform, key) {
      const row = await q.get<{ value: string }>("SELECT value FROM platform_state WHERE platform = ? AND key = ?", [platform, key]);
      return row && box.open(row.value);
    },
    async set(platform, key, value, at) {
      await q.run(
        "INSERT INTO platform_state (platform, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (platform, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        [platform, key, box.seal(value), at],
      );
    },
    delete: async (platform, key) => (await q.run("DELETE FROM platform_state WHERE platform = ? AND key = ?", [platform, key])) > 0,
    keys: async (platform, prefix) =>
      (await q.all<{ key: string }>("SELECT key FROM platform_state WHERE platform = ? AND substr(key, 1, length(CAST(? AS TEXT))) = ? ORDER BY key", [platform, prefix, prefix])).map((r) => r.key),
  };
}
