import { replyToText } from "../../src/core/reply.ts";
import type { Harness, Who } from "./harness.ts";

/**
 * What the examples refer to: deadlines D1 "WCIT-12 opens" and D2, questions Q1–Q9 (Q3 answered),
 * a digest in the channel, @amina on the admin list, and the docket shared with a second workspace
 * of the same platform (so `unlink` has something to leave, and names read as they do alone). Set up as the platform's own admin.
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
  const code = /\b[0-9A-Z]{4}(-[0-9A-Z]{4}){3}\b/.exec(replyToText(await h.run("link", who)))?.[0];
  const joined = await h.run(`link ${code}`, { ...who, workspace: `${who.workspace ?? "T1"}-partner`, id: "partner", channel: "partner" });
  if (joined.error) throw new Error(`fixture: link → ${replyToText(joined)}`);
}

