import { createPublicKey, verify, type KeyObject } from "node:crypto";

// why: node:crypto takes an Ed25519 key as SPKI; the portal gives the raw 32 bytes, which this fixed RFC 8410 header wraps.
const spkiPrefix = Buffer.from("302a300506032b6570032100", "hex");

/** The application's Public Key (64 hex characters, from the Developer Portal) as a key node:crypto verifies with. */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error("a Discord public key is 64 hexadecimal characters");
  return createPublicKey({ key: Buffer.concat([spkiPrefix, Buffer.from(hex, "hex")]), format: "der", type: "spki" });
}

/** How far a request's timestamp may be from our clock, either way: Slack's signing uses the same 5 minutes. */
export const signatureWindowSeconds = 5 * 60;

export interface SignedRequest {
  /** The exact bytes received; verified before anything parses them. */
  body: Buffer;
  /** `X-Signature-Ed25519`: 64 bytes as 128 hex characters. */
  signature: string | undefined;
  /** `X-Signature-Timestamp`: Unix seconds. */
  timestamp: string | undefined;
}

/**
 * Whether Discord signed this request: Ed25519 over timestamp + raw body with the application's key,
 * and a timestamp within five minutes of `nowMs` (a replayed request is refused like a forged one).
 */
export function verifyDiscordRequest(key: KeyObject, r: SignedRequest, nowMs: number): boolean {
  const { signature, timestamp } = r;
  if (!signature || !timestamp || !/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > signatureWindowSeconds) return false;
  return verify(null, Buffer.concat([Buffer.from(timestamp, "utf8"), r.body]), key, Buffer.from(signature, "hex"));
}
