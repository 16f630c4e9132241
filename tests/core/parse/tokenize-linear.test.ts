import { describe, expect, it } from "vitest";
import { tokenize, type WorkMeter } from "../../../src/core/parse/tokenize.ts";

// Issue 11: `ask 1:"1:"1:"…` made the tokenizer re-read the word so far at every quote, quadratic
// in the text's length. Work is counted in characters visited, never timed.

const pathological = [
  (n: number) => `ask ${'1:"'.repeat(n)}`,
  (n: number) => `ask ${'a:"'.repeat(n)}`,
  (n: number) => `ask ${"to:".repeat(n)}`,
  (n: number) => `ask ${'"'.repeat(n)}`,
  (n: number) => `ask "${'\\"'.repeat(n)}`,
  (n: number) => `ask ${"x".repeat(n)}:"${"y ".repeat(n)}`,
  (n: number) => `ask ${"#".repeat(n)} ${"a".repeat(n)}`,
];

const stepsFor = (text: string): number => {
  const meter: WorkMeter = { steps: 0 };
  tokenize(text, meter);
  return meter.steps;
};

describe("tokenize does work proportional to the text", () => {
  it.each(pathological.map((make, i) => [i, make] as const))("pathological input %i: characters visited stay within a small multiple of its length", (_i, make) => {
    for (const n of [100, 1_000, 4_000]) {
      const text = make(n);
      const steps = stepsFor(text);
      expect(steps).toBeGreaterThan(0);
      expect(steps, `${n} repetitions`).toBeLessThanOrEqual(2 * [...text].length);
    }
    // why: doubling the input at most doubles the work (plus the constant prefix), which a quadratic scan cannot do.
    expect(stepsFor(make(8_000))).toBeLessThanOrEqual(2 * stepsFor(make(4_000)) + 10);
  });
});
