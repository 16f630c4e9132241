/**
 * Builders for documented INTERACTION_CREATE payloads
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).
 */
import { randomBytes } from 'node:crypto';
import type {
  APIApplicationCommand,
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataOption,
  APIChatInputApplicationCommandInteraction,
  APIGuildMember,
  APIInteractionDataResolved,
  APIInteractionDataResolvedChannel,
  APIInteractionDataResolvedGuildMember,
  APIMessage,
  APIMessageComponentButtonInteraction,
  APIMessageComponentSelectMenuInteraction,
  APIModalSubmissionComponent,
  APIModalSubmitInteraction,
  APIRole,
  APIUser,
  Locale,
} from 'discord.js';
import type { ChannelState, GuildState } from './payloads.ts';
import { makeUser, toInteractionMember } from './payloads.ts';
import { snowflake } from './snowflake.ts';
import { toPermissionBits } from './permissions.ts';

export interface InteractionUserInput {
  id?: string;
  username?: string;
  globalName?: string | null;
}

export interface InteractionBaseOptions {
  /** Interaction id; default a fresh snowflake. */
  id?: string;
  /** Interaction token; default a random token. */
  token?: string;
  /** Guild the interaction happens in; default the first guild. `null` makes a DM interaction (user, no member). */
  guildId?: string | null;
  /** Channel; default the guild's first text channel (or a DM channel for DM interactions). */
  channelId?: string;
  user?: InteractionUserInput;
  /** Member roles (ids) in the guild. */
  roles?: string[];
  nick?: string | null;
  /**
   * The invoking member's total permissions in the channel, as Discord sends them (`member.permissions`),
   * e.g. '8' (Administrator) or '0'. Default: computed from @everyone, `roles` and channel overwrites.
   */
  permissions?: string | bigint;
  /** The bot's permissions in the channel (`app_permissions`); default computed from the guild setup. */
  appPermissions?: string | bigint;
  locale?: string;
  guildLocale?: string;
  /** The largest attachment the interaction's responses may carry (`attachment_size_limit`); default 10 MiB. */
  attachmentSizeLimit?: number;
}

export type OptionValue = string | number | boolean;

export interface OptionInput {
  name: string;
  /** ApplicationCommandOptionType; default inferred: string 3, integer 4, boolean 5, non-integer number 10. */
  type?: number;
  value: OptionValue;
  focused?: boolean;
}

export interface ChatInputOptions extends InteractionBaseOptions {
  /** Command name (`data.name`). */
  name: string;
  /** Default: the id of the registered command with that name (guild first, then global), else a new snowflake. */
  commandId?: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** Leaf options: `{ text: 'hi', count: 2 }` or explicit `[{ name, type, value }]` (6 user, 7 channel, 8 role…). */
  options?: Record<string, OptionValue> | OptionInput[];
  /** Merged over the resolved data built automatically for user/channel/role options. */
  resolved?: APIInteractionDataResolved;
}

export interface AutocompleteOptions extends ChatInputOptions {
  /** The option being typed: sent with `focused: true`. */
  focused: { name: string; value: string | number; type?: number };
}

export interface ComponentOptions extends InteractionBaseOptions {
  customId: string;
  /** The message the component is on: a message object, or the id of a message stored in the fake. */
  message?: APIMessage | string;
}

export interface StringSelectOptions extends ComponentOptions {
  values: string[];
}

export interface ModalSubmitOptions extends InteractionBaseOptions {
  customId: string;
  /** Text input values by custom id. */
  fields: Record<string, string> | Array<{ customId: string; value: string }>;
  /** 'actionRow' (type 1 rows, the classic shape) or 'label' (type 18 label components). */
  layout?: 'actionRow' | 'label';
  /** Set when the modal was opened from a component on a message. */
  message?: APIMessage | string;
}

/** What the builders need to know about the fake's state. */
export interface InteractionContext {
  applicationId: string;
  defaultUser: APIUser;
  guild(id: string): GuildState | undefined;
  firstGuildId(): string | null;
  channel(id: string): ChannelState | undefined;
  firstTextChannelId(guildId: string): string | undefined;
  dmChannelFor(user: APIUser): ChannelState;
  knownUser(id: string): APIUser | undefined;
  rememberMember(guildId: string, user: APIUser, roles: string[] | undefined, nick: string | null | undefined): APIGuildMember;
  memberChannelPermissions(guildId: string, channelId: string, userId: string): bigint;
  botChannelPermissions(guildId: string, channelId: string): bigint;
  findCommand(name: string, guildId: string | null): APIApplicationCommand | undefined;
  storedMessage(id: string): APIMessage | undefined;
  newMessageFor(channelId: string, customId: string, componentType: number): APIMessage;
}

export function interactionToken(id: string): string {
  return Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
}

interface Base {
  id: string;
  application_id: string;
  token: string;
  version: 1;
  app_permissions: string;
  locale: Locale;
  guild_locale?: Locale;
  entitlements: [];
  authorizing_integration_owners: { '0'?: string; '1'?: string };
  context: 0 | 1;
  attachment_size_limit: number;
  channel_id: string;
  channel: ChannelState & { permissions?: string };
  guild_id?: string;
  guild?: { id: string; locale: Locale; features: [] };
  member?: ReturnType<typeof toInteractionMember>;
  user?: APIUser;
}

function buildBase(ctx: InteractionContext, opts: InteractionBaseOptions): Base {
  const id = opts.id ?? snowflake();
  const u = opts.user ?? {};
  const userId = u.id ?? ctx.defaultUser.id;
  const known = ctx.knownUser(userId);
  const user: APIUser =
    u.username === undefined && u.globalName === undefined && known
      ? known
      : makeUser(userId, {
          username: u.username ?? known?.username ?? (userId === ctx.defaultUser.id ? ctx.defaultUser.username : `user${userId.slice(-4)}`),
          globalName: u.globalName === undefined ? (known?.global_name ?? u.username ?? null) : u.globalName,
        });
  const guildId = opts.guildId === undefined ? ctx.firstGuildId() : opts.guildId;
  const locale = (opts.locale ?? 'en-US') as Locale;
  const base: Omit<Base, 'channel_id' | 'channel'> = {
    id,
    application_id: ctx.applicationId,
    token: opts.token ?? interactionToken(id),
    version: 1,
    app_permissions: '0',
    locale,
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    attachment_size_limit: opts.attachmentSizeLimit ?? 10 * 1024 * 1024,
  };
  if (guildId === null) {
    const dm = opts.channelId ? ctx.channel(opts.channelId) : ctx.dmChannelFor(user);
    if (!dm) throw new Error(`fake-discord: unknown channel ${opts.channelId ?? ''}`);
    return {
      ...base,
      context: 1,
      authorizing_integration_owners: { '0': '0' },
      app_permissions: opts.appPermissions === undefined ? '0' : toPermissionBits(opts.appPermissions).toString(),
      channel_id: dm.id,
      channel: { ...dm },
      user,
    };
  }
  const guild = ctx.guild(guildId);
  if (!guild) throw new Error(`fake-discord: unknown guild ${guildId}`);
  const channelId = opts.channelId ?? ctx.firstTextChannelId(guildId);
  const channel = channelId === undefined ? undefined : ctx.channel(channelId);
  if (!channel || channelId === undefined) throw new Error(`fake-discord: guild ${guildId} has no channel ${channelId ?? '(text)'}`);
  const member = ctx.rememberMember(guildId, user, opts.roles, opts.nick);
  const permissions =
    opts.permissions === undefined
      ? ctx.memberChannelPermissions(guildId, channelId, user.id)
      : toPermissionBits(opts.permissions);
  const appPermissions =
    opts.appPermissions === undefined ? ctx.botChannelPermissions(guildId, channelId) : toPermissionBits(opts.appPermissions);
  return {
    ...base,
    app_permissions: appPermissions.toString(),
    guild_locale: (opts.guildLocale ?? guild.preferredLocale) as Locale,
    authorizing_integration_owners: { '0': guildId },
    channel_id: channelId,
    channel: { ...channel, permissions: permissions.toString() },
    guild_id: guildId,
    guild: { id: guildId, locale: (opts.guildLocale ?? guild.preferredLocale) as Locale, features: [] },
    member: toInteractionMember(member, permissions.toString()),
  };
}

interface LooseOption {
  name: string;
  type: number;
  value?: OptionValue;
  focused?: boolean;
  options?: LooseOption[];
}

function inferType(value: OptionValue): number {
  if (typeof value === 'string') return 3;
  if (typeof value === 'boolean') return 5;
  return Number.isInteger(value) ? 4 : 10;
}

function leafOptions(options: ChatInputOptions['options']): LooseOption[] {
  if (!options) return [];
  if (Array.isArray(options)) {
    return options.map((o) => {
      const leaf: LooseOption = { name: o.name, type: o.type ?? inferType(o.value), value: o.value };
      if (o.focused) leaf.focused = true;
      return leaf;
    });
  }
  return Object.entries(options).map(([name, value]) => ({ name, type: inferType(value), value }));
}

function nest(leaves: LooseOption[], subcommandGroup: string | undefined, subcommand: string | undefined): LooseOption[] {
  if (subcommand === undefined) {
    if (subcommandGroup !== undefined) throw new Error('fake-discord: a subcommand group needs a subcommand');
    return leaves;
  }
  const sub: LooseOption = { name: subcommand, type: 1, options: leaves };
  return subcommandGroup === undefined ? [sub] : [{ name: subcommandGroup, type: 2, options: [sub] }];
}

function buildResolved(ctx: InteractionContext, base: Base, leaves: LooseOption[], extra: APIInteractionDataResolved | undefined): APIInteractionDataResolved | undefined {
  const resolved: APIInteractionDataResolved = {};
  const guild = base.guild_id === undefined ? undefined : ctx.guild(base.guild_id);
  const addUser = (id: string): void => {
    const user = ctx.knownUser(id) ?? makeUser(id);
    (resolved.users ??= {})[id] = user;
    if (guild && base.guild_id !== undefined) {
      const member = guild.members.get(id);
      if (member) {
        const { user: _omit, ...rest } = member;
        void _omit;
        const resolvedMember: APIInteractionDataResolvedGuildMember = {
          ...rest,
          flags: member.flags,
          joined_at: member.joined_at ?? new Date().toISOString(),
          permissions: ctx.memberChannelPermissions(base.guild_id, base.channel_id, id).toString(),
        };
        (resolved.members ??= {})[id] = resolvedMember;
      }
    }
  };
  const addRole = (id: string): boolean => {
    const role: APIRole | undefined = guild?.roles.find((r) => r.id === id);
    if (!role) return false;
    (resolved.roles ??= {})[id] = role;
    return true;
  };
  for (const leaf of leaves) {
    const id = typeof leaf.value === 'string' ? leaf.value : undefined;
    if (id === undefined || leaf.focused) continue;
    if (leaf.type === 6) addUser(id);
    else if (leaf.type === 8) addRole(id);
    else if (leaf.type === 9) {
      if (!addRole(id)) addUser(id);
    } else if (leaf.type === 7) {
      const channel = ctx.channel(id);
      const entry = {
        id,
        name: channel?.name ?? 'channel',
        type: channel?.type ?? 0,
        permissions:
          base.guild_id !== undefined && channel ? ctx.memberChannelPermissions(base.guild_id, id, base.member?.user.id ?? '').toString() : '0',
      };
      (resolved.channels ??= {})[id] = entry as APIInteractionDataResolvedChannel;
    }
  }
  if (extra) {
    for (const key of ['users', 'members', 'roles', 'channels', 'attachments'] as const) {
      const add = extra[key];
      if (add) Object.assign((resolved[key] ??= {}), add);
    }
  }
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}

function commandData(ctx: InteractionContext, base: Base, opts: ChatInputOptions, leaves: LooseOption[]) {
  const command = ctx.findCommand(opts.name, base.guild_id ?? null);
  const data: {
    id: string;
    name: string;
    type: 1;
    guild_id?: string;
    options?: APIApplicationCommandInteractionDataOption[];
    resolved?: APIInteractionDataResolved;
  } = { id: opts.commandId ?? command?.id ?? snowflake(), name: opts.name, type: 1 };
  if (command?.guild_id !== undefined) data.guild_id = command.guild_id;
  const nested = nest(leaves, opts.subcommandGroup, opts.subcommand);
  if (nested.length > 0) data.options = nested as unknown as APIApplicationCommandInteractionDataOption[];
  const resolved = buildResolved(ctx, base, leaves, opts.resolved);
  if (resolved) data.resolved = resolved;
  return data;
}

export function buildChatInput(ctx: InteractionContext, opts: ChatInputOptions): APIChatInputApplicationCommandInteraction {
  const base = buildBase(ctx, opts);
  const leaves = leafOptions(opts.options);
  return { ...base, type: 2, data: commandData(ctx, base, opts, leaves) } as APIChatInputApplicationCommandInteraction;
}

export function buildAutocomplete(ctx: InteractionContext, opts: AutocompleteOptions): APIApplicationCommandAutocompleteInteraction {
  const base = buildBase(ctx, opts);
  const leaves = leafOptions(opts.options).filter((o) => o.name !== opts.focused.name);
  leaves.push({
    name: opts.focused.name,
    type: opts.focused.type ?? (typeof opts.focused.value === 'string' ? 3 : inferType(opts.focused.value)),
    value: opts.focused.value,
    focused: true,
  });
  return { ...base, type: 4, data: commandData(ctx, base, opts, leaves) } as APIApplicationCommandAutocompleteInteraction;
}

function resolveMessage(ctx: InteractionContext, base: Base, message: APIMessage | string | undefined, customId: string, componentType: number): APIMessage {
  if (typeof message === 'string') {
    const stored = ctx.storedMessage(message);
    if (!stored) throw new Error(`fake-discord: no stored message ${message}`);
    return stored;
  }
  return message ?? ctx.newMessageFor(base.channel_id, customId, componentType);
}

export function buildButton(ctx: InteractionContext, opts: ComponentOptions): APIMessageComponentButtonInteraction {
  const base = buildBase(ctx, opts);
  const message = resolveMessage(ctx, base, opts.message, opts.customId, 2);
  return {
    ...base,
    type: 3,
    data: { custom_id: opts.customId, component_type: 2 },
    message,
  } as APIMessageComponentButtonInteraction;
}

export function buildStringSelect(ctx: InteractionContext, opts: StringSelectOptions): APIMessageComponentSelectMenuInteraction {
  const base = buildBase(ctx, opts);
  const message = resolveMessage(ctx, base, opts.message, opts.customId, 3);
  return {
    ...base,
    type: 3,
    data: { custom_id: opts.customId, component_type: 3, values: opts.values },
    message,
  } as APIMessageComponentSelectMenuInteraction;
}

export function buildModalSubmit(ctx: InteractionContext, opts: ModalSubmitOptions): APIModalSubmitInteraction {
  const base = buildBase(ctx, opts);
  const entries = Array.isArray(opts.fields) ? opts.fields : Object.entries(opts.fields).map(([customId, value]) => ({ customId, value }));
  let nextId = 1;
  const components: APIModalSubmissionComponent[] = entries.map((f) => {
    const rowId = nextId++;
    const input = { type: 4 as const, id: nextId++, custom_id: f.customId, value: f.value };
    return opts.layout === 'label'
      ? ({ type: 18, id: rowId, component: input } as APIModalSubmissionComponent)
      : ({ type: 1, id: rowId, components: [input] } as APIModalSubmissionComponent);
  });
  const payload: Record<string, unknown> = {
    ...base,
    type: 5,
    data: { custom_id: opts.customId, components },
  };
  if (opts.message !== undefined) payload.message = resolveMessage(ctx, base, opts.message, opts.customId, 2);
  return payload as unknown as APIModalSubmitInteraction;
}
