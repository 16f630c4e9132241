import { describe, expect, it } from "vitest";
import { linkCodeHash, newLinkCode, normaliseLinkCode } from "../../src/core/link-code.ts";

describe("link codes", () => {
  it("are 16 Crockford characters in four groups, different each time", () => {
    const codes = Array.from({ length: 200 }, newLinkCode);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("read as typed: any case, hyphens and spaces optional, O as 0 and I, L as 1", () => {
    expect(normaliseLinkCode("7k3m-q9tx-2hwd-r4pn")).toBe("7K3MQ9TX2HWDR4PN");
    expect(normaliseLinkCode(" 7K3M Q9TX 2HWD R4PN ")).toBe("7K3MQ9TX2HWDR4PN");
    expect(normaliseLinkCode("O1IL-0000-0000-0000")).toBe("0111000000000000");
    expect(normaliseLinkCode("7K3M-Q9TX-2HWD")).toBeUndefined();
    expect(normaliseLinkCode("UUUU-UUUU-UUUU-UUUU")).toBeUndefined();
    expect(normaliseLinkCode("status")).toBeUndefined();
  });

  it("are stored as a SHA-256 of the normalised form only", () => {
    const hash = linkCodeHash(normaliseLinkCode("7k3m q9tx 2hwd r4pn")!);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(linkCodeHash(normaliseLinkCode("7K3M-Q9TX-2HWD-R4PN")!));
    expect(hash).not.toContain("7K3M");
  });
});
