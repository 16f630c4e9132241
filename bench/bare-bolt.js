// The baseline of `npm run bench -- --side-by-side`: the smallest Bolt 5.1 app that answers
// `/docket`, with the receiver Docket uses over HTTP (HTTPReceiver, Bolt's signature check), a fixed
// ephemeral ack and no storage. Plain JavaScript run by plain node, as Docket runs from dist/.
// Environment: PORT, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL (the fake Slack).
import bolt from "@slack/bolt";

const { App, HTTPReceiver, LogLevel } = bolt;
const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? "", logLevel: LogLevel.ERROR });
const app = new App({
  receiver,
  token: process.env.SLACK_BOT_TOKEN,
  logLevel: LogLevel.ERROR,
  ...(process.env.SLACK_API_URL ? { clientOptions: { slackApiUrl: process.env.SLACK_API_URL } } : {}),
});

app.command("/docket", async ({ ack }) => {
  await ack({ response_type: "ephemeral", text: "Docket is here." });
});

// why: with --docket-listeners the app also has Docket's other four listeners (a button, a modal,
// two workspace events), doing nothing, so Bolt's per-listener work is the same as in Docket.
if (process.argv.includes("--docket-listeners")) {
  app.action("docket_answer", async ({ ack }) => ack());
  app.view("docket_form", async ({ ack }) => ack());
  app.event("app_uninstalled", async () => {});
  app.event("tokens_revoked", async () => {});
}

await app.start({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
process.stdout.write("bare bolt listening\n");
process.once("SIGTERM", () => void app.stop().then(() => process.exit(0)));
