/** The vocabulary as Discord's application command JSON, and interactions as the core's invocations: pure. */
import { ApplicationCommandOptionType, type APIApplicationCommandOption } from "discord.js";
import { describe, expect, it } from "vitest";
import { commandDefinitions } from "../../../adapters/discord/command-definitions.ts";
import { parseCustomId, renderForm } from "../../../adapters/discord/modals.ts";
import { toInvocation } from "../../../adapters/discord/to-invocation.ts";
import { restBase } from "../../../adapters/discord/discord-adapter.ts";
import { backoffDelay, defaultIdentifyBackoff, fatalLoginError, identifyDelay } from "../../../adapters/discord/login.ts";
import { commands as declared } from "../../../src/core/commands/registry.ts";
import { describeCommand } from "../../../src/core/core.ts";

const commands = declared.map(describeCommand);

const [docket] = commandDefinitions(commands, "docket");
type Sub = APIApplicationCommandOption & { options?: APIApplicationCommandOption[] };
const find = (name: string): Sub => {
  const [a, b] = name.split(" ");
  const top = (docket!.options as Sub[]).find((o) => o.name === a)!;
  return b === undefined ? top : (top.options as Sub[]).find((o) => o.name === b)!;
};

/** Commands Discord holds as they are named; `link status` is sent as `/docket link code:status` (Discord refuses a subcommand and a group of one name). */
const registered = commands.filter((c) => !(c.name.includes(" ") && commands.some((s) => s.name === c.name.split(" ")[0])));

describe("commandDefinitions", () => {
  it("is one guild-only /docket with a subcommand (or group + subcommand) for every command", () => {
    expect(docket).toMatchObject({ name: "docket", type: 1, contexts: [0], integration_types: [0] });
    expect(registered.map((c) => c.name)).toEqual(expect.arrayContaining(["link", "unlink"]));
    expect(registered.map((c) => c.name)).not.toContain("link status");
    for (const c of registered) {
      const sub = find(c.name);
      expect(sub.type, c.name).toBe(ApplicationCommandOptionType.Subcommand);
      expect(sub.description.length).toBeLessThanOrEqual(100);
    }
    expect(find("deadline").type).toBe(ApplicationCommandOptionType.SubcommandGroup);
    expect((find("deadline").options ?? []).map((o) => o.name)).toEqual(["add", "list", "edit", "remove", "milestones"]);
  });

  it("types options from the declarations, required ones first, with the domain's lengths", () => {
    const add = find("deadline add").options!;
    expect(add.map((o) => [o.name, o.type, o.required])).toEqual([
      ["title", ApplicationCommandOptionType.String, true],
      ["date", ApplicationCommandOptionType.String, true],
      ["time", ApplicationCommandOptionType.String, false],
      ["tz", ApplicationCommandOptionType.String, false],
      ["at", ApplicationCommandOptionType.String, false],
    ]);
    expect(add[0]).toMatchObject({ max_length: 200 });
    expect(add[3]).toMatchObject({ autocomplete: true });
    expect(find("answer").options!.map((o) => [o.name, o.type, o.required, "autocomplete" in o ? o.autocomplete : undefined])).toEqual([
      ["question", ApplicationCommandOptionType.String, true, true],
      ["text", ApplicationCommandOptionType.String, false, undefined],
      ["source", ApplicationCommandOptionType.String, false, undefined],
      ["partial", ApplicationCommandOptionType.Boolean, false, undefined],
    ]);
    expect(find("export").options![0]).toMatchObject({ name: "format", choices: [{ name: "md", value: "md" }, { name: "csv", value: "csv" }, { name: "json", value: "json" }, { name: "ics", value: "ics" }] });
    expect(find("admin add").options![0]).toMatchObject({ name: "who", type: ApplicationCommandOptionType.Mentionable, required: true });
    // A milestone pings a role Discord resolved, never one member (so not Mentionable), and never @here.
    expect(find("deadline milestones").options!.find((o) => o.name === "ping")).toMatchObject({ type: ApplicationCommandOptionType.Role, required: false });
    // Only ask and answer loosen a required text (they open a form instead); note keeps it required.
    expect(find("note").options!.find((o) => o.name === "text")).toMatchObject({ required: true, max_length: 2000 });
    for (const c of registered) for (const o of find(c.name).options ?? []) expect(o.description.length).toBeLessThanOrEqual(100);
  });

  it("stays within Discord's 8,000 characters of names, descriptions and choices for one command", () => {
    type Node = { name: string; description?: string; choices?: Array<{ name: string; value: string | number }>; options?: Node[] };
    const size = (n: Node): number =>
      n.name.length + (n.description?.length ?? 0) + (n.choices ?? []).reduce((k, c) => k + c.name.length + String(c.value).length, 0) + (n.options ?? []).reduce((k, o) => k + size(o), 0);
    expect(size(docket!)).toBeLessThanOrEqual(8000);
  });

  it("follows the command name and changes with the vocabulary", () => {
    expect(commandDefinitions(commands, "dossier")[0]!.name).toBe("dossier");
    expect(JSON.stringify(commandDefinitions(commands.slice(1), "docket"))).not.toBe(JSON.stringify([docket]));
    expect(JSON.stringify(commandDefinitions(commands, "docket"))).toBe(JSON.stringify([docket]));
  });
});

describe("toInvocation", () => {
  it("maps a guild interaction to the workspace, channel and actor the core knows", () => {
    expect(toInvocation({ guildId: "G1", guildName: "Coalition", channelId: "C1", channelName: "docket", userId: "U1", displayName: "Ana", roleIds: ["R1"], canManageGuild: true })).toEqual({
      workspace: { platform: "discord", id: "G1", name: "Coalition" },
      channel: { id: "C1", name: "docket" },
      actor: { id: "U1", displayName: "Ana", role: { isPlatformAdmin: true, roleIds: ["R1"] } },
    });
    expect(toInvocation({ guildId: null, channelId: "D1", userId: "U1", displayName: "Ana", roleIds: [], canManageGuild: false })).toBeUndefined();
  });
});

describe("forms and custom ids", () => {
  it("round-trips custom ids and ignores others'", () => {
    expect(parseCustomId("docket:answer:12")).toEqual({ kind: "answer-button", question: 12 });
    expect(parseCustomId("docket:form:answer|12")).toEqual({ kind: "form", ref: "answer|12" });
    expect(parseCustomId("docket:form:ask")).toEqual({ kind: "form", ref: "ask" });
    expect(parseCustomId("someone-else:answer:1")).toBeUndefined();
  });

  it("builds modals within Discord's limits and reads them back without empty values", () => {
    const field = { name: "text", label: "Answer".padEnd(60, "!"), input: "paragraph" as const, required: true, max: 9000, value: "v".repeat(5000) };
    const modal = renderForm({ ref: "answer|123456789", title: "Answer Q123456789", submit: "Log answer", intro: "Q123456789 ".padEnd(150, "x"), fields: [field, { name: "partial", label: "Partial answer", description: "yes if partly", input: "flag", required: false }] });
    expect(modal.custom_id).toBe("docket:form:answer|123456789");
    expect(modal.title).toBe("Answer Q123456789");
    const [first, second] = modal.components as Array<{ label: string; description?: string; component: { max_length: number; value?: string; style: number } }>;
    expect(first!.label.length).toBeLessThanOrEqual(45);
    expect(first!.description!.length).toBeLessThanOrEqual(100);
    expect(first!.component.max_length).toBe(4000);
    expect(first!.component.value!.length).toBeLessThanOrEqual(4000);
    expect(second).toMatchObject({ label: "Partial answer", component: { max_length: 5, placeholder: "no" } });
  });
});

describe("configuration and login helpers", () => {
  it("takes the API base with or without a version", () => {
    expect(restBase("http://127.0.0.1:1/api")).toBe("http://127.0.0.1:1/api");
    expect(restBase("https://discord.com/api/v10/")).toBe("https://discord.com/api");
  });

  it("backs off exponentially up to a cap, and treats a rejected token as fatal", () => {
    const b = { initialMs: 1000, maxMs: 300_000 };
    expect([0, 1, 2, 3, 9, 40].map((n) => backoffDelay(n, b))).toEqual([1000, 2000, 4000, 8000, 300_000, 300_000]);
    expect(fatalLoginError(Object.assign(new Error("An invalid token was provided."), { code: "TokenInvalid" }))?.message).toContain("DISCORD_TOKEN");
    expect(fatalLoginError(new Error("Authentication failed"))).toBeDefined();
    expect(fatalLoginError(new Error("Sharding is required"))?.message).toContain("retrying cannot fix this");
    expect(fatalLoginError(new Error("connect ECONNREFUSED"))).toBeUndefined();
  });

  it("spaces identifies out: none to wait after a quiet hour, then 5 s doubling up to 5 minutes", () => {
    const b = defaultIdentifyBackoff;
    const hour = 60 * 60_000;
    expect(identifyDelay([], 0, b)).toBe(0);
    expect(identifyDelay([0], 1000, b)).toBe(5000);
    expect(identifyDelay([0, 5000, 15_000], 16_000, b)).toBe(20_000);
    expect(identifyDelay(Array.from({ length: 40 }, (_, i) => i * 1000), 41_000, b)).toBe(300_000);
    expect(identifyDelay([0], hour + 1, b)).toBe(0);
  });

  it("keeps a session that fails a second after every identify under Discord's 1,000 identifies a day", () => {
    const day = 24 * 60 * 60_000;
    const identifies: number[] = [];
    for (let now = 0; ; now += 1000) {
      now += identifyDelay(identifies, now, defaultIdentifyBackoff);
      if (now >= day) break;
      identifies.push(now);
    }
    expect(identifies.length).toBeLessThan(300);
    expect(identifies.slice(1).every((at, i) => at - identifies[i]! >= 5000)).toBe(true);
  });
});
