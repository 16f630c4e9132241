import type { webApi } from "@slack/bolt";
import type { Invocation } from "../../src/core/context.ts";
import type { Reply } from "../../src/core/reply.ts";
import { answerModal, askModal, type ModalOrigin } from "./modals.ts";
import type { SlackRuntime } from "./send-reply.ts";
import { slackErrorCode } from "./slack-errors.ts";

/**
 * Opens the ask or answer modal. Resolves with a reply to show instead when there is nothing to open
 * (no such question, no open question to choose), or when Slack would not open it.
 */
export async function openModal(
  rt: SlackRuntime, client: webApi.WebClient, triggerId: string, invocation: Invocation, origin: ModalOrigin, request: { kind: "ask" } | { kind: "answer"; question?: number },
): Promise<Reply | undefined> {
  const spec = (name: string) => rt.core.commands.find((c) => c.name === name);
  let view;
  if (request.kind === "ask") view = askModal(origin, spec("ask"), rt.core.suggest(invocation, "deadline", "", 100));
  else if (request.question !== undefined) {
    const question = rt.core.question(invocation, request.question);
    // why: for a question that does not exist, the core's `show` says so in its own words.
    if (!question) return rt.core.runText(invocation, `show Q${request.question}`);
    view = answerModal(origin, spec("answer"), question, []);
  } else {
    const open = rt.core.suggest(invocation, "question", "", 100);
    // why: with no question to choose, the core's own message for a bare `answer` says what to type.
    if (open.length === 0) return rt.core.runText(invocation, "answer");
    view = answerModal(origin, spec("answer"), undefined, open);
  }
  try {
    await client.views.open({ trigger_id: triggerId, view });
    return undefined;
  } catch (error) {
    const code = slackErrorCode(error) ?? "no answer";
    rt.log.warn("views.open failed", { error: code });
    const typed = request.kind === "ask" ? "ask <question> to:<addressee> by:<date>" : "answer <Q> <text> source:<link>";
    return { visibility: "ephemeral", blocks: [{ kind: "text", text: `Slack did not open the form (${code}). Type it in one line instead: /${rt.core.settings.commandName} ${typed}` }], error: { code: "slack.modal" } };
  }
}
