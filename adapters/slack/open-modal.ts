import type { webApi } from "@slack/bolt";
import type { Form, Reply } from "../../src/core/api.ts";
import { renderModal, type ModalOrigin } from "./modals.ts";
import type { SlackRuntime } from "./send-reply.ts";
import { slackErrorCode } from "./slack-errors.ts";

/** Opens the core's form as a modal; resolves with a reply to show instead when Slack would not open it. */
export async function openModal(rt: SlackRuntime, client: webApi.WebClient, triggerId: string, form: Form, origin: Omit<ModalOrigin, "form">): Promise<Reply | undefined> {
  try {
    await client.views.open({ trigger_id: triggerId, view: renderModal(form, origin) });
    return undefined;
  } catch (error) {
    const code = slackErrorCode(error) ?? "no answer";
    rt.log.warn("views.open failed", { error: code });
    const root = rt.core.commandName;
    return { visibility: "ephemeral", blocks: [{ kind: "text", text: `Slack did not open the form (${code}). Type the command in one line instead; /${root} help shows how.` }], error: { code: "slack.modal" } };
  }
}
