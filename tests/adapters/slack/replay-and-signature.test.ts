import { describe, expect, it } from "vitest";
import { createReplayMemory } from "../../../adapters/slack/replay-memory.ts";
import { checkSignature } from "../../../adapters/slack/request-signature.ts";
import { signSlackBody } from "../../fakes/slack/signed-request.ts";

describe("the memory of accepted requests", () => {
  it("recognises a repeat until the request's signature expires, then forgets it", () => {
    let now = 1_000_000;
    const memory = createReplayMemory(100, () => now);
    expect(memory.admit("sig:a", now + 300_000)).toBe(true);
    expect(memory.admit("sig:a", now + 300_000)).toBe(false);
    now += 299_999;
    expect(memory.admit("sig:a", now + 300_000)).toBe(false);
    now += 2;
    expect(memory.admit("sig:b", now + 300_000)).toBe(true);
    expect(memory.size).toBe(1);
  });

  it("stays within its capacity under any load, forgetting the oldest first and counting them", () => {
    const now = 0;
    const memory = createReplayMemory(3, () => now);
    for (const key of ["a", "b", "c", "d", "e"]) expect(memory.admit(key, 300_000)).toBe(true);
    expect(memory.size).toBe(3);
    expect(memory.evicted).toBe(2);
    expect(memory.admit("e", 300_000)).toBe(false);
    expect(memory.admit("a", 300_000)).toBe(true);
  });
});

describe("the signature check", () => {
  const secret = "s3cret";
  const body = Buffer.from("text=help");
  const at = 1_800_000_000;
  const check = (timestamp: number, nowSeconds: number, key = secret) => {
    const h = signSlackBody(key, body.toString(), timestamp);
    return checkSignature({ signature: h["x-slack-signature"], timestamp: h["x-slack-request-timestamp"] }, body, secret, nowSeconds * 1000);
  };

  it("accepts a request signed within five minutes either way", () => {
    expect(check(at, at).ok).toBe(true);
    expect(check(at - 300, at).ok).toBe(true);
    expect(check(at + 300, at).ok).toBe(true);
  });

  it("refuses one more than five minutes old or ahead, or signed with another secret", () => {
    expect(check(at - 301, at)).toEqual({ ok: false, reason: "timestamp more than 5 minutes old" });
    expect(check(at + 301, at)).toEqual({ ok: false, reason: "timestamp more than 5 minutes ahead" });
    expect(check(at + 365 * 86_400, at)).toMatchObject({ ok: false });
    expect(check(at, at, "other")).toEqual({ ok: false, reason: "signature mismatch" });
    expect(checkSignature({ signature: undefined, timestamp: String(at) }, body, secret, at * 1000)).toMatchObject({ ok: false });
    expect(checkSignature({ signature: "v0=00", timestamp: "1e9" }, body, secret, at * 1000)).toEqual({ ok: false, reason: "malformed timestamp" });
  });
});
