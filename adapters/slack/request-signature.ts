import { createHmac, timingSafeEqual } from "node:crypto";

/** How far a request's timestamp may be from this server's clock, either way: Slack's own 5 minutes. */
export const signatureWindowMs = 5 * 60 * 1000;

export type SignatureCheck = { ok: true; timestampMs: number; signature: string } | { ok: false; reason: string };

/**
 * Checks Slack's `v0` request signature: `x-slack-signature = v0=HMAC-SHA256(secret, "v0:{ts}:{body}")`,
 * with `x-slack-request-timestamp` within five minutes of `nowMs` in the past or the future.
 * why: Bolt 5.1 refuses only stale timestamps, so a request signed for a time ahead of ours stayed
 * replayable for as long as its timestamp lay ahead.
 */
export function checkSignature(headers: { signature: unknown; timestamp: unknown }, body: Buffer, secret: string, nowMs: number): SignatureCheck {
  const { signature, timestamp } = headers;
  if (typeof signature !== "string" || typeof timestamp !== "string") return { ok: false, reason: "missing signature headers" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed timestamp" };
  const timestampMs = Number(timestamp) * 1000;
  if (timestampMs < nowMs - signatureWindowMs) return { ok: false, reason: "timestamp more than 5 minutes old" };
  if (timestampMs > nowMs + signatureWindowMs) return { ok: false, reason: "timestamp more than 5 minutes ahead" };
  const expected = Buffer.from(`v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "signature mismatch" };
  return { ok: true, timestampMs, signature };
}
