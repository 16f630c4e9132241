import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { consoleChat, consolePartChars, splitText } from "../../../adapters/console/console-chat.ts";
import type { Reply } from "../../../src/core/reply.ts";

const digest = (items: number): Reply => ({
  visibility: "channel",
  heading: "Docket digest · Tuesday 1 December 2026",
  blocks: [{ kind: "list", title: "Still open, oldest first", items: Array.from({ length: items }, (_, i) => ({ text: `Q${i + 1} ${"Will the consultation text be public before the session? ".repeat(3)}` })) }],
});

describe("the console's digest messages", () => {
  it("a short digest is one message, without a part line", () => {
    expect(consoleChat(new PassThrough()).render(digest(3))).toEqual([expect.not.stringContaining("(part")]);
  });

  it("a long digest is split between lines into numbered parts of at most 3,500 characters, losing nothing", () => {
    const parts = consoleChat(new PassThrough()).render(digest(60));
    expect(parts.length).toBeGreaterThan(3);
    parts.forEach((part, i) => expect(part.endsWith(`\n(part ${i + 1} of ${parts.length})`)).toBe(true));
    const bodies = parts.map((part) => part.slice(0, part.lastIndexOf("\n(part")));
    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(consolePartChars);
    expect(bodies.join("\n").match(/^• Q\d+/gm)).toHaveLength(60);
  });

  it("a line longer than a part is cut where it must be", () => {
    expect(splitText(`a\n${"x".repeat(7)}\nb`, 3)).toEqual(["a", "xxx", "xxx", "x\nb"]);
    expect(splitText("", 3)).toEqual([""]);
  });
});
