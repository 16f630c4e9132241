/** The fake's message validation, where Docket's limits are checked against Discord's. */
import { describe, expect, it } from "vitest";
import { DiscordHttpError } from "./errors.ts";
import { parseMessageBody } from "./payloads.ts";

const row = (buttons: number, label = "Answer Q1") => ({
  type: 1,
  components: Array.from({ length: buttons }, (_, i) => ({ type: 2, style: 1, label, custom_id: `docket:answer:${i}` })),
});

/** The nested `errors` Discord would answer a body with, as JSON; empty when the body is accepted. */
function formErrors(body: unknown): string {
  try {
    parseMessageBody(body);
    return "";
  } catch (error) {
    if (!(error instanceof DiscordHttpError)) throw error;
    return JSON.stringify(error.body.errors);
  }
}

describe("message components", () => {
  it("takes 5 action rows of 5 buttons, and refuses a sixth row, a sixth button or a long label", () => {
    expect(formErrors({ components: Array.from({ length: 5 }, () => row(5)) })).toBe("");
    expect(formErrors({ components: Array.from({ length: 6 }, () => row(1)) })).toContain("Must be 5 or fewer in length.");
    expect(formErrors({ components: [row(6)] })).toContain("Must be between 1 and 5 in length.");
    expect(formErrors({ components: [row(1, "x".repeat(81))] })).toContain("Must be 80 or fewer in length.");
  });
});
