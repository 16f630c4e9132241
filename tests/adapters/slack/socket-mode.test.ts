import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSlashCommand } from "../../fakes/slack/signed-request.ts";
import { APP_TOKEN, startRig, textOf, type Rig } from "./support.ts";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ socket: true });
});
afterAll(async () => {
  await rig?.close();
});

describe("Socket Mode", () => {
  it("connects with the app token and answers a slash command envelope in its ack", async () => {
    expect(rig.adapter.mode).toBe("socket");
    expect(rig.fake.callsTo("apps.connections.open")[0]?.token).toBe(APP_TOKEN);
    await rig.fake.waitForSocket();

    await rig.fake.socketSend({
      envelope_id: "env-help",
      type: "slash_commands",
      payload: buildSlashCommand({ command: "/docket", text: "help ask", response_url: rig.fake.responseUrl("socket-help") }),
    });
    const ack = await rig.fake.waitForAck("env-help");
    expect(ack.payload).toMatchObject({ response_type: "ephemeral" });
    expect(textOf(ack.payload)).toContain("/docket ask <text>".replaceAll("<", "&lt;").replaceAll(">", "&gt;"));

    await rig.fake.socketSend({
      envelope_id: "env-ask",
      type: "slash_commands",
      payload: buildSlashCommand({ command: "/docket", text: "ask Does Socket Mode work? to:Slack", response_url: rig.fake.responseUrl("socket-ask") }),
    });
    expect(textOf((await rig.fake.waitForAck("env-ask")).payload)).toContain("Added Q1");
    const [announcement] = await rig.responses("socket-ask");
    expect(announcement?.body).toMatchObject({ response_type: "in_channel" });
    expect((await rig.h.store.questions.get(1, 1))?.text).toBe("Does Socket Mode work?");
  });

  it("still serves /healthz on PORT", async () => {
    const res = await fetch(`http://127.0.0.1:${rig.adapter.port()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", slack: "socket" });
  });
});
