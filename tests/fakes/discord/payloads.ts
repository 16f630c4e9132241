/**
 * Builders for the JSON objects Discord sends (users, roles, channels, guilds, members, messages)
 * and validation of message bodies the way Discord validates them.
 */
import type {
  APIAttachment,
  APIEmbed,
  APIGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIOverwrite,
  APIRole,
  APIUser,
  GatewayGuildCreateDispatchData,
  GuildFeature,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  Locale,
  RoleFlags,
  UserFlags,
} from 'discord.js';
import { FormErrors } from './errors.ts';
import { DEFAULT_EVERYONE_PERMISSIONS, toPermissionBits } from './permissions.ts';

// ---------------------------------------------------------------------------------------------
// Input shapes (what tests pass to startFakeDiscord)

export interface FakeChannel {
  id: string;
  name: string;
  /** Channel type; default 0 (GUILD_TEXT). 2 voice, 4 category, 5 announcement, 15 forum. */
  type?: number;
  position?: number;
  parentId?: string | null;
  topic?: string | null;
  nsfw?: boolean;
  rateLimitPerUser?: number;
  permissionOverwrites?: APIOverwrite[];
}

export interface FakeRole {
  id: string;
  name: string;
  /** Permission bit set as Discord's decimal string (or bigint). Default '0'. */
  permissions?: string | bigint;
  position?: number;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
  managed?: boolean;
}

export interface FakeMember {
  id: string;
  username?: string;
  globalName?: string | null;
  nick?: string | null;
  roles?: string[];
  bot?: boolean;
  joinedAt?: string;
}

export interface FakeGuild {
  id: string;
  name?: string;
  /** Default: a generated owner user (not the bot). */
  ownerId?: string;
  /** Default: one text channel named "general". */
  channels?: FakeChannel[];
  /** Extra roles; @everyone (id = guild id) is always created. */
  roles?: FakeRole[];
  /** Permissions of @everyone. Default: a typical new-guild set (view, send, embed, attach, history…). */
  everyonePermissions?: string | bigint;
  /** When set, the bot gets a managed integration role with these permissions (as when invited with them). */
  botPermissions?: string | bigint;
  /** Extra role ids given to the bot member. */
  botRoles?: string[];
  members?: FakeMember[];
  memberCount?: number;
  preferredLocale?: string;
  joinedAt?: string;
  features?: string[];
  description?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Internal state shapes

export interface ChannelState {
  id: string;
  type: number;
  guild_id?: string;
  name?: string | null;
  position?: number;
  parent_id?: string | null;
  topic?: string | null;
  nsfw?: boolean;
  permission_overwrites?: APIOverwrite[];
  last_message_id: string | null;
  rate_limit_per_user?: number;
  flags: number;
  recipients?: APIUser[];
}

export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: string;
  joinedAt: string;
  features: string[];
  description: string | null;
  roles: APIRole[];
  channelIds: string[];
  members: Map<string, APIGuildMember>;
  memberCount: number;
}

// ---------------------------------------------------------------------------------------------
// Narrowing helpers for unknown JSON

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Object builders

export function makeUser(id: string, init: { username?: string; globalName?: string | null; bot?: boolean; discriminator?: string } = {}): APIUser {
  const user: APIUser = {
    id,
    username: init.username ?? `user${id.slice(-4)}`,
    discriminator: init.discriminator ?? (init.bot ? '0000' : '0'),
    global_name: init.globalName === undefined ? (init.bot ? null : (init.username ?? null)) : init.globalName,
    avatar: null,
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
  if (init.bot) user.bot = true;
  return user;
}

export function makeRole(guildId: string, role: FakeRole, botId?: string): APIRole {
  const color = role.color ?? 0;
  const api: APIRole = {
    id: role.id,
    name: role.name,
    color,
    colors: { primary_color: color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist ?? false,
    icon: null,
    unicode_emoji: null,
    position: role.position ?? 1,
    permissions: toPermissionBits(role.permissions ?? 0n).toString(),
    managed: role.managed ?? false,
    mentionable: role.mentionable ?? false,
    flags: 0 as RoleFlags,
  };
  if (botId !== undefined) api.tags = { bot_id: botId };
  else if (role.id === guildId) api.position = 0;
  return api;
}

export function makeChannel(guildId: string, channel: FakeChannel, index: number): ChannelState {
  const type = channel.type ?? 0;
  const state: ChannelState = {
    id: channel.id,
    type,
    guild_id: guildId,
    name: channel.name,
    position: channel.position ?? index,
    parent_id: channel.parentId ?? null,
    permission_overwrites: channel.permissionOverwrites ?? [],
    nsfw: channel.nsfw ?? false,
    flags: 0,
    last_message_id: null,
  };
  if (type !== 4) {
    state.topic = channel.topic ?? null;
    state.rate_limit_per_user = channel.rateLimitPerUser ?? 0;
  }
  return state;
}

export function makeMember(user: APIUser, init: { nick?: string | null; roles?: string[]; joinedAt?: string }): APIGuildMember {
  return {
    user,
    nick: init.nick ?? null,
    avatar: null,
    banner: null,
    roles: init.roles ?? [],
    joined_at: init.joinedAt ?? new Date().toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function toInteractionMember(member: APIGuildMember, permissions: string): APIInteractionGuildMember {
  const { user } = member;
  return {
    user,
    nick: member.nick ?? null,
    avatar: member.avatar ?? null,
    banner: member.banner ?? null,
    roles: member.roles,
    joined_at: member.joined_at ?? new Date().toISOString(),
    premium_since: member.premium_since ?? null,
    deaf: false,
    mute: false,
    flags: member.flags,
    pending: false,
    communication_disabled_until: null,
    permissions,
  };
}

/** GUILD_CREATE d: the guild object plus the documented extra fields. */
export function guildCreatePayload(guild: GuildState, channels: ChannelState[]): GatewayGuildCreateDispatchData {
  const firstText = channels.find((c) => c.type === 0);
  const payload: GatewayGuildCreateDispatchData = {
    ...guildObject(guild, firstText?.id ?? null),
    joined_at: guild.joinedAt,
    large: guild.memberCount > 250,
    unavailable: false,
    member_count: guild.memberCount,
    voice_states: [],
    members: [...guild.members.values()],
    // The API sends concrete channel objects; ChannelState carries the documented fields.
    channels: channels as unknown as GatewayGuildCreateDispatchData['channels'],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
  return payload;
}

/** The guild object returned by GET /guilds/{id} (no GUILD_CREATE extras). */
export function guildObject(guild: GuildState, systemChannelId: string | null): Omit<GatewayGuildCreateDispatchData, 'joined_at' | 'large' | 'unavailable' | 'member_count' | 'voice_states' | 'members' | 'channels' | 'threads' | 'presences' | 'stage_instances' | 'guild_scheduled_events' | 'soundboard_sounds'> {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: guild.description,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: guild.roles,
    emojis: [],
    stickers: [],
    features: guild.features as GuildFeature[],
    mfa_level: 0,
    application_id: null,
    system_channel_id: systemChannelId,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_presences: null,
    max_members: 500000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: guild.preferredLocale as Locale,
    nsfw_level: 0,
    hub_type: null,
    incidents_data: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Message bodies

export interface MessageInput {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  flags?: number;
  nonce?: string | number;
  enforceNonce: boolean;
  tts: boolean;
  allowedMentions?: AllowedMentionsInput;
  messageReference?: { message_id: string; channel_id?: string; fail_if_not_exists?: boolean };
  attachments?: unknown[];
  stickerIds?: string[];
  poll?: unknown;
}

export interface AllowedMentionsInput {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

export const MESSAGE_FLAG_EPHEMERAL = 64;
export const MESSAGE_FLAG_LOADING = 128;
export const MESSAGE_FLAG_COMPONENTS_V2 = 1 << 15;

/**
 * Parse and validate a create/edit message body the way Discord does: 2000-character content, ≤ 10
 * embeds with the documented per-field limits and 6000 characters in total, nonce ≤ 25 characters,
 * and allowed_mentions.parse not combined with explicit users/roles lists.
 * `path` prefixes error keys (e.g. ['data'] for interaction callbacks).
 */
export function parseMessageBody(body: unknown, path: ReadonlyArray<string | number> = []): MessageInput {
  const form = new FormErrors();
  const input: MessageInput = { enforceNonce: false, tts: false };
  if (!isRecord(body)) {
    return input;
  }
  if (body.content !== undefined && body.content !== null) {
    const content = asString(body.content);
    if (content === undefined) form.add([...path, 'content'], 'BASE_TYPE_STRING', 'Must be a string.');
    else if ([...content].length > 2000) form.add([...path, 'content'], 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
    else input.content = content;
  }
  if (body.embeds !== undefined && body.embeds !== null) {
    const embeds = asArray(body.embeds);
    if (!embeds) form.add([...path, 'embeds'], 'BASE_TYPE_LIST', 'Must be a list.');
    else {
      if (embeds.length > 10) form.add([...path, 'embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
      let total = 0;
      embeds.forEach((raw, i) => {
        if (!isRecord(raw)) {
          form.add([...path, 'embeds', i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
          return;
        }
        total += checkEmbed(raw, [...path, 'embeds', i], form);
      });
      if (total > 6000) form.add([...path, 'embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
      input.embeds = embeds.filter(isRecord) as APIEmbed[];
    }
  }
  if (body.components !== undefined && body.components !== null) {
    const components = asArray(body.components);
    if (!components) form.add([...path, 'components'], 'BASE_TYPE_LIST', 'Must be a list.');
    else input.components = components;
  }
  if (body.flags !== undefined && body.flags !== null) {
    const flags = asNumber(body.flags);
    if (flags === undefined) form.add([...path, 'flags'], 'NUMBER_TYPE_COERCE', 'Value is not int.');
    else input.flags = flags;
  }
  if (body.nonce !== undefined && body.nonce !== null) {
    if (typeof body.nonce === 'string') {
      if (body.nonce.length > 25) form.add([...path, 'nonce'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      input.nonce = body.nonce;
    } else if (typeof body.nonce === 'number' && Number.isInteger(body.nonce)) {
      input.nonce = body.nonce;
    } else {
      form.add([...path, 'nonce'], 'NONCE_TYPE_INVALID', 'Nonce must be an integer or a string.');
    }
  }
  if (input.components && ((input.flags ?? 0) & MESSAGE_FLAG_COMPONENTS_V2) === 0) checkActionRows(input.components, [...path, 'components'], form);
  input.enforceNonce = body.enforce_nonce === true;
  input.tts = body.tts === true;
  if (isRecord(body.allowed_mentions)) {
    const am = body.allowed_mentions;
    const parse = asArray(am.parse)?.filter((v): v is string => typeof v === 'string');
    const users = asArray(am.users)?.filter((v): v is string => typeof v === 'string');
    const roles = asArray(am.roles)?.filter((v): v is string => typeof v === 'string');
    if (parse?.includes('users') && users && users.length > 0) {
      form.add([...path, 'allowed_mentions'], 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', 'parse:["users"] and users: [ids...] are mutually exclusive.');
    }
    if (parse?.includes('roles') && roles && roles.length > 0) {
      form.add([...path, 'allowed_mentions'], 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', 'parse:["roles"] and roles: [ids...] are mutually exclusive.');
    }
    if (users && users.length > 100) form.add([...path, 'allowed_mentions', 'users'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    const allowed: AllowedMentionsInput = {};
    if (parse) allowed.parse = parse;
    if (users) allowed.users = users;
    if (roles) allowed.roles = roles;
    if (typeof am.replied_user === 'boolean') allowed.replied_user = am.replied_user;
    input.allowedMentions = allowed;
  }
  if (isRecord(body.message_reference)) {
    const ref = body.message_reference;
    const messageId = asString(ref.message_id);
    if (messageId !== undefined) {
      input.messageReference = { message_id: messageId };
      const channelId = asString(ref.channel_id);
      if (channelId !== undefined) input.messageReference.channel_id = channelId;
      if (typeof ref.fail_if_not_exists === 'boolean') input.messageReference.fail_if_not_exists = ref.fail_if_not_exists;
    }
  }
  const attachments = asArray(body.attachments);
  if (attachments) input.attachments = attachments;
  const stickers = asArray(body.sticker_ids);
  if (stickers) input.stickerIds = stickers.filter((v): v is string => typeof v === 'string');
  if (body.poll !== undefined && body.poll !== null) input.poll = body.poll;
  form.throwIfAny();
  return input;
}

/** Classic message components: at most 5 action rows of at most 5 buttons, labels ≤ 80, custom ids ≤ 100. */
function checkActionRows(rows: readonly unknown[], path: Array<string | number>, form: FormErrors): void {
  if (rows.length > 5) form.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  rows.forEach((row, i) => {
    if (!isRecord(row) || row.type !== 1) {
      form.add([...path, i], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
      return;
    }
    const children = asArray(row.components) ?? [];
    if (children.length < 1 || children.length > 5) form.add([...path, i, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    children.forEach((child, j) => {
      if (!isRecord(child)) return;
      const at = [...path, i, 'components', j];
      if (typeof child.label === 'string' && [...child.label].length > 80) form.add([...at, 'label'], 'BASE_TYPE_MAX_LENGTH', 'Must be 80 or fewer in length.');
      if (typeof child.custom_id === 'string' && (child.custom_id.length < 1 || child.custom_id.length > 100))
        form.add([...at, 'custom_id'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    });
  });
}

function checkEmbed(embed: Record<string, unknown>, path: Array<string | number>, form: FormErrors): number {
  let size = 0;
  const limit = (value: unknown, max: number, at: Array<string | number>): void => {
    if (typeof value !== 'string') return;
    size += [...value].length;
    if ([...value].length > max) form.add(at, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  };
  limit(embed.title, 256, [...path, 'title']);
  limit(embed.description, 4096, [...path, 'description']);
  if (isRecord(embed.footer)) limit(embed.footer.text, 2048, [...path, 'footer', 'text']);
  if (isRecord(embed.author)) limit(embed.author.name, 256, [...path, 'author', 'name']);
  const fields = asArray(embed.fields);
  if (fields) {
    if (fields.length > 25) form.add([...path, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    fields.forEach((field, i) => {
      if (!isRecord(field)) return;
      limit(field.name, 256, [...path, 'fields', i, 'name']);
      limit(field.value, 1024, [...path, 'fields', i, 'value']);
    });
  }
  return size;
}

/** Whether a create body carries anything Discord would display (content, embeds, components, files, stickers, poll). */
export function hasMessageContent(input: MessageInput, fileCount: number): boolean {
  return (
    (input.content !== undefined && input.content.length > 0) ||
    (input.embeds !== undefined && input.embeds.length > 0) ||
    (input.components !== undefined && input.components.length > 0) ||
    (input.stickerIds !== undefined && input.stickerIds.length > 0) ||
    input.poll !== undefined ||
    fileCount > 0
  );
}

export interface MentionContext {
  lookupUser: (id: string) => APIUser;
  roleExists: (id: string) => boolean;
  canMentionEveryone: boolean;
}

/** Resolve mentions in content honouring allowed_mentions (default: parse users, roles and everyone). */
export function resolveMentions(
  content: string,
  allowed: AllowedMentionsInput | undefined,
  ctx: MentionContext,
): Pick<APIMessage, 'mentions' | 'mention_roles' | 'mention_everyone'> {
  const parse = allowed === undefined ? ['users', 'roles', 'everyone'] : (allowed.parse ?? []);
  const userIds = new Set<string>();
  for (const m of content.matchAll(/<@!?(\d{15,21})>/g)) {
    const id = m[1];
    if (id === undefined) continue;
    if (parse.includes('users') || allowed?.users?.includes(id)) userIds.add(id);
  }
  const roleIds = new Set<string>();
  for (const m of content.matchAll(/<@&(\d{15,21})>/g)) {
    const id = m[1];
    if (id === undefined || !ctx.roleExists(id)) continue;
    if (parse.includes('roles') || allowed?.roles?.includes(id)) roleIds.add(id);
  }
  const everyone = /@(everyone|here)\b/.test(content) && parse.includes('everyone') && ctx.canMentionEveryone;
  return {
    mentions: [...userIds].map((id) => ctx.lookupUser(id)),
    mention_roles: [...roleIds],
    mention_everyone: everyone,
  };
}

export interface StoredFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

/** Attachment objects for uploaded files, matched to the body's `attachments` metadata by `files[n]` index. */
export function makeAttachments(
  files: readonly StoredFile[],
  metadata: readonly unknown[] | undefined,
  urlFor: (id: string, filename: string) => string,
  newId: () => string,
): { attachments: APIAttachment[]; data: Map<string, StoredFile> } {
  const attachments: APIAttachment[] = [];
  const data = new Map<string, StoredFile>();
  files.forEach((file, index) => {
    const match = /^files\[(\d+)\]$/.exec(file.field);
    const key = match?.[1] ?? String(index);
    const meta = metadata?.find((m) => isRecord(m) && String(m.id) === key);
    const id = newId();
    const attachment: APIAttachment = {
      id,
      filename: file.filename,
      size: file.size,
      url: urlFor(id, file.filename),
      proxy_url: urlFor(id, file.filename),
      content_type: file.contentType,
    };
    if (isRecord(meta)) {
      const description = asString(meta.description);
      if (description !== undefined) attachment.description = description;
      const title = asString(meta.title);
      if (title !== undefined) attachment.title = title;
    }
    attachments.push(attachment);
    data.set(id, file);
  });
  return { attachments, data };
}

export const DEFAULT_EVERYONE = DEFAULT_EVERYONE_PERMISSIONS;
