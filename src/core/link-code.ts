import { createHash, randomBytes } from "node:crypto";

/** Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A new link code: 80 random bits as 16 Crockford characters in four groups, `7K3M-Q9TX-2HWD-R4PN`. */
export function newLinkCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = "";
  for (let i = 15; i >= 0; i--) out += alphabet[Number((bits >> BigInt(i * 5)) & 31n)];
  return out.match(/.{4}/g)!.join("-");
}

/**
 * The code as typed, in its one stored form: case ignored, hyphens and spaces optional, and
 * Crockford's look-alikes read as the digits they resemble (O → 0, I and L → 1). Undefined when
 * it cannot be a code at all.
 */
export function normaliseLinkCode(typed: string): string | undefined {
  const plain = typed.toUpperCase().replace(/[\s-]+/g, "").replaceAll("O", "0").replace(/[IL]/g, "1");
  return plain.length === 16 && [...plain].every((c) => alphabet.includes(c)) ? plain : undefined;
}

/** What the store keeps of a code: its SHA-256, so a copy of the database holds no usable code. */
export const linkCodeHash = (normalised: string): string => createHash("sha256").update(normalised).digest("hex");
