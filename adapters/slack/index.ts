import { defineTool, ToolError, type PlatformModule } from "../../src/platform.ts";

/** `docket slack-manifest`: the app manifest, generated from the vocabulary, to paste into api.slack.com. */
const slackManifestTool = defineTool({
  name: "slack-manifest",
  usage: "[--url URL] [--socket] [--oauth] [--name NAME]",
  summary: "print the Slack app manifest generated from the vocabulary",
  options: { url: { type: "string" }, socket: { type: "boolean", default: false }, oauth: { type: "boolean", default: false }, name: { type: "string" } },
  async run({ values }, { config, out, vocabulary }) {
    if (!values.socket && !values.url) throw new ToolError("slack-manifest needs Docket's public address for Slack's requests, like --url https://docket.example.org, or --socket for Socket Mode.");
    if (values.url !== undefined && !/^https:\/\/[^\s/]+/.test(values.url)) throw new ToolError(`--url must be an https address Slack can reach, like https://docket.example.org (got ${values.url}).`);
    const { slackManifest } = await import("./manifest.ts");
    const manifest = slackManifest({
      commandName: config.commandName, commands: vocabulary, socketMode: values.socket, oauth: values.oauth || Boolean(config.slack?.oauth),
      ...(values.url ? { url: values.url } : {}), ...(values.name ? { name: values.name } : {}),
    });
    out(`${JSON.stringify(manifest, null, 2)}\n`);
  },
});

/** Slack, when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set. */
export const slackModule: PlatformModule = {
  name: "slack",
  configured: (config) => config.slack !== undefined,
  servesHttp: (config) => config.slack !== undefined && config.slack.appToken === undefined,
  async create(deps) {
    // why: Bolt takes a noticeable share of start-up; only a Docket that serves Slack loads it.
    const { createSlackAdapter } = await import("./slack-adapter.ts");
    return createSlackAdapter(deps);
  },
  tools: [slackManifestTool],
};
