import type { Logger } from "../../src/core/api.ts";
import type { SlackMessage } from "./render.ts";
import { errorText } from "./slack-errors.ts";

export type ResponseBody = SlackMessage & { response_type: "ephemeral" | "in_channel"; replace_original?: boolean };

/**
 * Posts to a command's or a button's response_url (good 5 times in 30 minutes). It reaches the
 * channel the member is in even when the bot is not a member there. Resolves false on failure,
 * which is logged without the URL (it is a bearer credential for that conversation).
 */
export async function postToResponseUrl(url: string, body: ResponseBody, log: Logger, timeoutMs = 5000): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ replace_original: false, ...body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.ok) {
      await res.body?.cancel();
      return true;
    }
    log.warn("response_url refused the reply", { status: res.status, body: (await res.text()).slice(0, 100) });
    return false;
  } catch (error) {
    log.warn("response_url could not be reached", { error: errorText(error) });
    return false;
  }
}
