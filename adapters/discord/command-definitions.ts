import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { CommandInfo, OptionInfo } from "../../src/core/api.ts";
import { fit } from "./markdown.ts";

const description = (text: string) => fit(text.trim() || "—", 100);

function optionJson(o: OptionInfo): APIApplicationCommandBasicOption {
  // why: Discord would refuse to send a command without a required option; one a form asks for is left to the form.
  const required = o.required && !o.formAsks;
  const base = { name: o.name, description: description(o.description), required };
  switch (o.kind) {
    case "flag":
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case "target":
      return { ...base, type: ApplicationCommandOptionType.Mentionable };
    // why a role option: Discord then resolves the role itself; a milestone never pings one member, nor @here.
    case "ping":
      return { ...base, type: ApplicationCommandOptionType.Role };
    case "choice":
      return { ...base, type: ApplicationCommandOptionType.String, choices: (o.choices ?? []).slice(0, 25).map((c) => ({ name: c, value: c })) };
    default:
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(o.max ? { max_length: Math.min(o.max, 6000) } : {}),
        ...(o.suggests ? { autocomplete: true } : {}),
      };
  }
}

function subcommand(command: CommandInfo, name: string): APIApplicationCommandSubcommandOption {
  const options = command.options.map(optionJson);
  // why: Discord rejects a required option declared after an optional one; the order users see changes, the names do not.
  const ordered = [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
  return { type: ApplicationCommandOptionType.Subcommand, name, description: description(command.summary), ...(ordered.length ? { options: ordered } : {}) };
}

/**
 * The one chat-input command, `/docket`, generated from the vocabulary: `deadline add` becomes the
 * subcommand `add` of the group `deadline`. Guild-only, installed to servers. Pure: the same
 * vocabulary and name give the same JSON, so its hash says whether Discord needs an update.
 */
export function commandDefinitions(commands: readonly CommandInfo[], commandName: string): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const options: Array<APIApplicationCommandSubcommandOption | APIApplicationCommandSubcommandGroupOption> = [];
  const groups = new Map<string, APIApplicationCommandSubcommandGroupOption>();
  const singles = new Set(commands.filter((c) => !c.name.includes(" ")).map((c) => c.name));
  for (const command of commands) {
    const [first, second] = command.name.split(" ") as [string, string | undefined];
    // why: Discord refuses a subcommand and a group of one name; `link status` is sent as `/docket link code:status`, which the core reads as the group's command.
    if (second !== undefined && singles.has(first)) continue;
    if (second === undefined) {
      options.push(subcommand(command, first));
      continue;
    }
    let group = groups.get(first);
    if (!group) {
      group = { type: ApplicationCommandOptionType.SubcommandGroup, name: first, description: "", options: [] };
      groups.set(first, group);
      options.push(group);
    }
    group.options!.push(subcommand(command, second));
  }
  for (const [name, group] of groups) group.description = description(`${name[0]!.toUpperCase()}${name.slice(1)}: ${group.options!.map((o) => o.name).join(", ")}`);
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: commandName,
      description: "The coalition's open questions, answers and deadlines",
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      options,
    },
  ];
}
