/**
 * Every command of the vocabulary, on every platform: each command's first example is replayed
 * through the real Slack adapter (signed HTTP into Bolt), the real Discord adapter (the discord.js
 * client against the fake Discord) and the console adapter, against the same fixture. The list is
 * the vocabulary itself, so a new command is covered everywhere without editing this file.
 */
import { ApplicationCommandOptionType } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { runLine } from "../../adapters/console/console-adapter.ts";
import { commands } from "../../src/core/commands/registry.ts";
import { dateFit } from "../../src/core/dates/read-date.ts";
import { bindOptions, findCommand, rawText } from "../../src/core/parse/bind.ts";
import { tokenizeTyped, tokenText } from "../../src/core/parse/tokenize.ts";
import { cleanText } from "../../src/core/text.ts";
import type { Command } from "../../src/core/vocabulary.ts";
import type { OptionInput as FakeOption } from "../fakes/discord/fake-discord.ts";
import { examplesFixture as seed } from "../support/examples-fixture.ts";
import { harness, type Harness } from "../support/harness.ts";
import { typed } from "../support/typed.ts";
import { ALICE, BOB, DOCKET_CHANNEL, GUILD, startDiscordDocket, type DiscordDocket } from "./discord/support.ts";
import { startRig, TEAM, type Rig } from "./slack/support.ts";

/** How each platform writes the examples' one mention, `@amina`: Slack's user token, Discord's user id, the console's name. */
const amina = { slack: "<@U0AMINA|amina>", discord: `<@${BOB}>`, console: "@amina" } as const;

const cases = commands.map((c) => [c.name, c.examples[0] ?? c.name] as const);
const withMention = (example: string, mention: string) => example.replace("@amina", mention);

describe("every command's first example", () => {
  let close: (() => Promise<void> | void) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it.each(cases)("%s, through Slack: %s", async (_name, example) => {
    const rig: Rig = await startRig();
    close = () => rig.close();
    await seed(rig.h, { platform: "slack", workspace: TEAM, channel: "C0GENERAL", id: "U0ALICE", displayName: "alice" }, amina.slack);
    const res = await rig.command(withMention(example, amina.slack));
    expect(res.status).toBe(200);
    // why: a slow command is acked empty and answered through its response_url.
    const body = res.body === "" ? (await rig.responses(res.responseId))[0]?.body : res.json;
    const text = (body as { text?: string } | undefined)?.text ?? "";
    expect(text, example).not.toMatch(/^:warning:/);
    expect(text, example).not.toBe("");
  });

  it.each(cases)("%s, through Discord: %s", async (name, example) => {
    const d: DiscordDocket = await startDiscordDocket();
    close = () => d.close();
    await seed(d.h, { platform: "discord", workspace: GUILD, channel: DOCKET_CHANNEL, id: ALICE, displayName: "Alice" }, amina.discord);
    const o = await d.slash(name, discordOptions(d.h, name, withMention(example, amina.discord)));
    expect(o.messages.length, example).toBeGreaterThan(0);
    // why: Docket's replies are embeds; a refusal is plain content.
    expect(o.messages[0]!.message.embeds?.length ?? 0, `${example} → ${o.text}`).toBeGreaterThan(0);
  });

  it.each(cases)("%s, through the console: %s", async (_name, example) => {
    const h = harness();
    close = () => h.close();
    await seed(h, { platform: "console", workspace: "console", channel: "console", id: "local", displayName: "local" }, amina.console);
    const reply = await runLine(h.core, withMention(example, amina.console));
    expect(reply.error, `${example} → ${JSON.stringify(reply.blocks)}`).toBeUndefined();
  });
});

/** The example as Discord's typed options, the way a member fills them in: text as typed, flags as booleans, a mention as the member's id. */
function discordOptions(h: Harness, name: string, example: string): FakeOption[] {
  const tokens = tokenizeTyped(typed(example), cleanText);
  const { command, used } = findCommand(tokens.slice(0, 2).map(tokenText), commands, "docket");
  expect(command.name).toBe(name);
  const raw = bindOptions(command as Command, tokens.slice(used), (_kind, text) => dateFit(text, { now: h.clock.now(), zone: "Europe/London" }), "docket");
  return Object.entries(raw).map(([option, value]) => {
    const kind = command.options.find((o) => o.name === option)?.kind;
    if (kind === "flag") return { name: option, type: ApplicationCommandOptionType.Boolean, value: rawText(value) === "yes" };
    if (kind === "target" && typeof value === "object") return { name: option, type: ApplicationCommandOptionType.Mentionable, value: value.id };
    return { name: option, type: ApplicationCommandOptionType.String, value: rawText(value) };
  });
}
