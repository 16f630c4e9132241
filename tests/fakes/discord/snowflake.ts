/** Snowflake ids as Discord builds them: ms since 2015-01-01 << 22 | worker << 17 | increment. */
export const DISCORD_EPOCH_MS = 1420070400000;

let increment = 0n;

export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - BigInt(DISCORD_EPOCH_MS)) << 22n) | (1n << 17n) | increment).toString();
}

export function snowflakeTime(id: string): number {
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH_MS;
}

/** Which shard receives a guild's events: (guild_id >> 22) % num_shards. */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
