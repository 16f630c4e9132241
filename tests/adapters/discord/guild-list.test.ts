import type { REST } from "discord.js";
import { describe, expect, it } from "vitest";
import { botGuildIds } from "../../../adapters/discord/discord-http-adapter.ts";

describe("the bot's server list", () => {
  it("is read 200 a page, each page after the last id of the one before, until a short page", async () => {
    const all = Array.from({ length: 450 }, (_, i) => String(1_400_000_000_000_000_000n + BigInt(i)));
    const asked: Array<Record<string, string>> = [];
    const rest = {
      async get(_route: string, o: { query: URLSearchParams }) {
        const query = Object.fromEntries(o.query);
        asked.push(query);
        const after = query.after;
        const from = after ? all.indexOf(after) + 1 : 0;
        return all.slice(from, from + Number(query.limit)).map((id) => ({ id }));
      },
    } as unknown as REST;
    expect([...(await botGuildIds(rest))]).toEqual(all);
    expect(asked).toEqual([{ limit: "200" }, { limit: "200", after: all[199] }, { limit: "200", after: all[399] }]);
  });
});
