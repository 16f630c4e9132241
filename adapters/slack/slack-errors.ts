import { webApi } from "@slack/bolt";
import { ChatError } from "../../src/core/api.ts";

/** Errors after which posting to that channel (or workspace) cannot work until a person acts. */
export const permanentErrors: ReadonlySet<string> = new Set([
  "not_in_channel", "channel_not_found", "is_archived", "account_inactive", "token_revoked", "token_expired", "missing_scope",
  "invalid_auth", "not_authed", "team_access_not_granted", "restricted_action", "ekm_access_denied", "no_permission", "org_login_required",
]);

/** Slack's error code of a failed Web API call (`channel_not_found`), if it was Slack that refused it. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof webApi.WebAPIPlatformError ? error.data.error : undefined;
}

/** A failed call in a few words for a log line or a notice: Slack's code, else the error's message. */
export const errorText = (error: unknown): string => slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));

/** How a failed Web API call looks to the digest delivery: try later today, or stop and tell the admins. */
export function toChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  if (error instanceof webApi.WebAPIRateLimitedError) return new ChatError("retryable", `Slack rate limit: retry after ${error.retryAfter} s`, error.retryAfter * 1000);
  const platform = slackErrorCode(error);
  if (platform !== undefined) return new ChatError(permanentErrors.has(platform) ? "permanent" : "retryable", `Slack refused the message: ${platform}`);
  if (error instanceof webApi.WebAPIHTTPError) return new ChatError("retryable", `Slack answered HTTP ${error.statusCode}`);
  return new ChatError("retryable", `Slack could not be reached: ${error instanceof Error ? error.message : String(error)}`);
}
