import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderReply as renderDiscord } from "../../adapters/discord/render.ts";
import { renderReply as renderSlack } from "../../adapters/slack/render.ts";
import { isStatic, replyToText } from "../../src/core/reply.ts";
import { harness, type Harness } from "../support/harness.ts";

// help is the same on every request for a root command name: built once, and rendered once per platform.

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.close());

describe("help", () => {
  it("is built once per command asked about, and handed out frozen", async () => {
    const first = await h.ok("help");
    expect(await h.ok("help")).toBe(first);
    expect(isStatic(first)).toBe(true);
    const ask = await h.ok("help ask");
    expect(await h.ok("help /docket ask")).toBe(ask);
    expect(ask).not.toBe(first);
    expect(replyToText(ask)).toMatch(/\/docket ask/);
  });

  it("names the root command it was asked under", async () => {
    const other = harness({ commandName: "coalition" });
    try {
      expect(replyToText(await other.ok("help"))).toMatch(/^\/coalition: /);
      expect(replyToText(await h.ok("help"))).toMatch(/^\/docket: /);
    } finally {
      other.close();
    }
  });

  it("is escaped once per platform: the same messages again, which no one can change", async () => {
    const reply = await h.ok("help");
    const slack = renderSlack(reply);
    expect(renderSlack(reply)[0]).toBe(slack[0]);
    expect(() => slack[0]!.blocks.push({ type: "divider" })).toThrow(TypeError);
    const discord = renderDiscord(reply);
    expect(renderDiscord(reply)[0]).toBe(discord[0]);
    const plain = { ...reply };
    expect(renderSlack(plain)[0]).not.toBe(slack[0]);
    expect(renderSlack(plain)).toEqual(slack);
  });
});
