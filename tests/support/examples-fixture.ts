import type { Harness, Who } from "./harness.ts";

/**
 * What the examples refer to: deadlines D1 "WCIT-12 opens" and D2, questions Q1–Q9 (Q3 answered),
 * a digest in the channel, and @amina on the admin list. Set up as the platform's own admin.
 */
export async function examplesFixture(h: Harness, who: Who, mention: string): Promise<void> {
  for (const text of [
    "deadline add WCIT-12 opens in 30 days",
    "deadline add Comments due in 20 days",
    ...Array.from({ length: 9 }, (_, i) => `ask "Question ${i + 1} about membership fees?" to:ITU`),
    "answer Q3 Only in part",
    "digest on 09:00",
    `admin add ${mention}`,
  ]) {
    const reply = await h.run(text, who);
    if (reply.error) throw new Error(`fixture: ${text} → ${JSON.stringify(reply.blocks)}`);
  }
}

