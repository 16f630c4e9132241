import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const prefix = "enc:v1:";

/**
 * AES-256-GCM with a key derived from DOCKET_SECRET_KEY. Without a key, values pass through as is,
 * so a database written without one still reads after a key is set (old values stay plain).
 */
export function secretBox(secret: string | undefined) {
  const key = secret ? createHash("sha256").update(secret).digest() : undefined;
  return {
    seal(value: string): string {
      if (!key) return value;
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
      return `${prefix}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
    },
    open(stored: string): string {
      if (!stored.startsWith(prefix)) return stored;
      if (!key) throw new Error("This value was encrypted with DOCKET_SECRET_KEY, which is not set now: set it to the key used before.");
      const raw = Buffer.from(stored.slice(prefix.length), "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    },
  };
}
