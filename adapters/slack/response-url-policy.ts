import type { Logger } from "../../src/core/api.ts";

/** Whether Docket may POST a reply to a response_url a payload named. */
export type ResponseUrlPolicy = (url: string) => boolean;

/** The hosts Slack's response_urls live on: the commercial cloud and GovSlack. */
const slackHooks = new Set(["hooks.slack.com", "hooks.slack-gov.com"]);

/**
 * response_urls go only to Slack's own hooks, over https on the default port; with `SLACK_API_URL`
 * (tests, a proxy) only to that URL's origin instead. why: a response_url arrives inside a signed
 * payload, but the payload's sender (or a forged private_metadata in a modal) must not make Docket
 * POST a member's reply, a credential-bearing request, to any host it names.
 */
export function responseUrlPolicy(apiUrl?: string): ResponseUrlPolicy {
  const only = apiUrl ? new URL(apiUrl).origin : undefined;
  return (url) => {
    if (!URL.canParse(url)) return false;
    const target = new URL(url);
    if (target.username || target.password) return false;
    if (only) return target.origin === only;
    return target.protocol === "https:" && target.port === "" && slackHooks.has(target.hostname);
  };
}

/** The url when the policy admits it; otherwise undefined, logged without the url (it is a bearer credential). */
export function admitResponseUrl(policy: ResponseUrlPolicy, url: string | undefined, log: Logger): string | undefined {
  if (url === undefined || url === "") return undefined;
  if (policy(url)) return url;
  const host = URL.canParse(url) ? new URL(url).host : "unparseable";
  log.warn("refused a response_url outside Slack; replying through the Web API instead", { host });
  return undefined;
}
