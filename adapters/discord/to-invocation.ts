import {
  ApplicationCommandOptionType,
  GuildMember,
  PermissionFlagsBits,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  type APIInteractionDataResolved,
  type BaseInteraction,
  type CommandInteractionOption,
} from "discord.js";
import type { Invocation, OptionInput } from "../../src/core/api.ts";

/** What Docket reads from an interaction, as plain data, so the mapping is a pure function. */
export interface InteractionFacts {
  guildId: string | null;
  guildName?: string;
  channelId: string | null;
  channelName?: string;
  userId: string;
  /** Server nickname, else global display name, else username. */
  displayName: string;
  /** The member's roles in the guild (not @everyone). */
  roleIds: readonly string[];
  /** Manage Server (or Administrator, which implies it). */
  canManageGuild: boolean;
}

/** The invocation of an interaction in a guild; `undefined` outside one (Docket is guild-only). */
export function toInvocation(f: InteractionFacts): Invocation | undefined {
  if (!f.guildId || !f.channelId) return undefined;
  return {
    workspace: { platform: "discord", id: f.guildId, name: f.guildName ?? f.guildId },
    channel: { id: f.channelId, ...(f.channelName ? { name: f.channelName } : {}) },
    actor: { id: f.userId, displayName: f.displayName, role: { isPlatformAdmin: f.canManageGuild, roleIds: f.roleIds } },
  };
}

/** Reads the facts from a discord.js interaction (cached guild member or the raw API member). */
export function factsOf(interaction: BaseInteraction): InteractionFacts {
  const member = interaction.member;
  const roleIds =
    member instanceof GuildMember ? [...member.roles.cache.keys()].filter((id) => id !== interaction.guildId)
    : member ? [...member.roles]
    : [];
  const nick = member instanceof GuildMember ? member.nickname : (member?.nick ?? null);
  const channel = interaction.channel;
  return {
    guildId: interaction.guildId,
    ...(interaction.guild?.name ? { guildName: interaction.guild.name } : {}),
    channelId: interaction.channelId,
    ...(channel && "name" in channel && channel.name ? { channelName: channel.name } : {}),
    userId: interaction.user.id,
    displayName: nick ?? interaction.user.globalName ?? interaction.user.username,
    roleIds,
    canManageGuild: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
}

/**
 * Reads the facts from a raw interaction as Discord posts it to the interactions endpoint: the
 * member, their roles and computed permissions come with it, so no cache is needed. The guild's
 * name does not; `guildName` is what the caller looked up, if anything.
 */
export function factsOfApi(interaction: APIInteraction, guildName?: string): InteractionFacts {
  const member = interaction.member;
  const user = member?.user ?? interaction.user;
  const permissions = BigInt(member?.permissions ?? "0");
  const channel = interaction.channel;
  return {
    guildId: interaction.guild_id ?? null,
    ...(guildName ? { guildName } : {}),
    channelId: channel?.id ?? interaction.channel_id ?? null,
    ...(channel && "name" in channel && typeof channel.name === "string" && channel.name ? { channelName: channel.name } : {}),
    userId: user?.id ?? "",
    displayName: member?.nick ?? user?.global_name ?? user?.username ?? "",
    roleIds: member ? [...member.roles] : [],
    // why: Administrator implies Manage Server, as discord.js's permissions.has() treats it.
    canManageGuild: (permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n,
  };
}

/** The full command name an interaction names: `deadline add`, `ask`. */
export function commandNameOf(group: string | null, subcommand: string | null): string {
  return [group, subcommand].filter((part): part is string => Boolean(part)).join(" ");
}

/** The leaf options under the subcommand (group), as discord.js resolved them. */
export function leafOptions(data: readonly CommandInteractionOption[]): CommandInteractionOption[] {
  return data.flatMap((o) =>
    o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup ? leafOptions(o.options ?? []) : [o],
  );
}

/** An option as `optionInputs` reads it: discord.js's resolved option, or one built from a raw interaction. */
export interface OptionFacts {
  name: string;
  type: ApplicationCommandOptionType;
  value?: string | number | boolean;
  role?: { name: string } | null;
  member?: GuildMember | { nick?: string | null } | null;
  user?: { globalName: string | null; username: string } | null;
}

/** A raw interaction's subcommand group, subcommand and leaf options, resolved as discord.js would resolve them. */
export function apiOptions(
  options: readonly APIApplicationCommandInteractionDataOption[] | undefined,
  resolved: APIInteractionDataResolved | undefined,
): { group: string | null; subcommand: string | null; leaves: OptionFacts[]; focused?: { name: string; value: string } } {
  let group: string | null = null;
  let subcommand: string | null = null;
  let list = options ?? [];
  const first = list[0];
  if (first?.type === ApplicationCommandOptionType.SubcommandGroup) {
    group = first.name;
    list = first.options;
  }
  const sub = list[0];
  if (sub?.type === ApplicationCommandOptionType.Subcommand) {
    subcommand = sub.name;
    list = sub.options ?? [];
  }
  let focused: { name: string; value: string } | undefined;
  const leaves: OptionFacts[] = [];
  for (const o of list) {
    if (o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup) continue;
    if ("focused" in o && o.focused) focused = { name: o.name, value: String(o.value) };
    const id = String(o.value);
    const user = resolved?.users?.[id];
    leaves.push({
      name: o.name,
      type: o.type,
      value: o.value,
      role: resolved?.roles?.[id] ?? null,
      member: resolved?.members?.[id] ?? null,
      user: user ? { globalName: user.global_name, username: user.username } : null,
    });
  }
  return { group, subcommand, leaves, ...(focused ? { focused } : {}) };
}

/**
 * Typed option values as the core takes them, keyed by option name: text as typed, booleans as
 * booleans, a user, role or mentionable as the mention Discord resolved (id and the name it showed).
 */
export function optionInputs(leaves: readonly OptionFacts[]): Record<string, OptionInput> {
  const out: Record<string, OptionInput> = {};
  for (const o of leaves) {
    switch (o.type) {
      case ApplicationCommandOptionType.Boolean:
        out[o.name] = Boolean(o.value);
        break;
      case ApplicationCommandOptionType.Role:
        out[o.name] = { kind: "role", id: String(o.value), label: o.role?.name ?? String(o.value) };
        break;
      case ApplicationCommandOptionType.User:
      case ApplicationCommandOptionType.Mentionable: {
        const id = String(o.value);
        if (o.role) out[o.name] = { kind: "role", id, label: o.role.name };
        else {
          const member = o.member instanceof GuildMember ? o.member.displayName : (o.member?.nick ?? undefined);
          out[o.name] = { kind: "member", id, label: member ?? o.user?.globalName ?? o.user?.username ?? id };
        }
        break;
      }
      default:
        if (o.value !== undefined) out[o.name] = String(o.value);
    }
  }
  return out;
}
