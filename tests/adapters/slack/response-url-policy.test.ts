import { describe, expect, it } from "vitest";
import { admitResponseUrl, responseUrlPolicy } from "../../../adapters/slack/response-url-policy.ts";
import { recordingLogger } from "./support.ts";

describe("which response_urls Docket posts to", () => {
  it("without SLACK_API_URL: only Slack's hooks, over https on the default port", () => {
    const allowed = responseUrlPolicy();
    for (const url of ["https://hooks.slack.com/commands/T0DOCKET1/1234/abcd", "https://hooks.slack.com/actions/T0DOCKET1/1234/abcd", "https://hooks.slack-gov.com/commands/T1/2/x"]) {
      expect(allowed(url), url).toBe(true);
    }
    for (const url of [
      "http://hooks.slack.com/commands/T0DOCKET1/1234/abcd",
      "https://hooks.slack.com:8443/commands/T0DOCKET1/1234/abcd",
      "https://hooks.slack.com.attacker.example/commands/x",
      "https://attacker.example/hooks.slack.com",
      "https://user:pass@hooks.slack.com/commands/x",
      "https://slack.com/api/chat.postMessage",
      "http://127.0.0.1:9/commands/x",
      "not a url",
      "",
    ]) {
      expect(allowed(url), url).toBe(false);
    }
  });

  it("with SLACK_API_URL (tests, a proxy): only that URL's origin", () => {
    const allowed = responseUrlPolicy("http://127.0.0.1:4000/api/");
    expect(allowed("http://127.0.0.1:4000/response/cmd-1")).toBe(true);
    expect(allowed("http://127.0.0.1:4001/response/cmd-1")).toBe(false);
    expect(allowed("https://hooks.slack.com/commands/T0DOCKET1/1234/abcd")).toBe(false);
  });

  it("logs a refused url by its host only, since the url is a credential", () => {
    const log = recordingLogger();
    expect(admitResponseUrl(responseUrlPolicy(), "https://attacker.example/commands/T1/2/secret-token", log)).toBeUndefined();
    expect(admitResponseUrl(responseUrlPolicy(), undefined, log)).toBeUndefined();
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toContain("attacker.example");
    expect(log.lines[0]).not.toContain("secret-token");
  });
});
