/**
 * Discord permission bits and the channel-permission computation Discord documents
 * (https://discord.com/developers/docs/topics/permissions#permission-overwrites).
 * Kept local so the fake has no runtime dependency on discord.js.
 */
import type { APIOverwrite, APIRole } from 'discord.js';

export const Permission = {
  CreateInstantInvite: 1n << 0n,
  KickMembers: 1n << 1n,
  BanMembers: 1n << 2n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewAuditLog: 1n << 7n,
  Stream: 1n << 9n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  UseVAD: 1n << 25n,
  ChangeNickname: 1n << 26n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  UseExternalStickers: 1n << 37n,
  SendMessagesInThreads: 1n << 38n,
  UseEmbeddedActivities: 1n << 39n,
  UseSoundboard: 1n << 42n,
  SendVoiceMessages: 1n << 46n,
  SendPolls: 1n << 49n,
  UseExternalApps: 1n << 50n,
} as const;

/** Every permission bit defined by the API at the time of writing (discord-api-types 0.38). */
export const ALL_PERMISSIONS = 8866461766385663n;

/** A typical @everyone permission set of a freshly created guild. */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  Permission.CreateInstantInvite |
  Permission.AddReactions |
  Permission.Stream |
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.MentionEveryone |
  Permission.UseExternalEmojis |
  Permission.Connect |
  Permission.Speak |
  Permission.UseVAD |
  Permission.ChangeNickname |
  Permission.UseApplicationCommands |
  Permission.CreatePublicThreads |
  Permission.CreatePrivateThreads |
  Permission.UseExternalStickers |
  Permission.SendMessagesInThreads |
  Permission.UseEmbeddedActivities |
  Permission.UseSoundboard |
  Permission.SendVoiceMessages |
  Permission.SendPolls |
  Permission.UseExternalApps;

export function toPermissionBits(value: string | bigint | number): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

export interface PermissionSubject {
  guildId: string;
  ownerId: string;
  userId: string;
  roleIds: readonly string[];
  roles: readonly APIRole[];
}

/** Guild-level permissions: @everyone | member roles; owner and Administrator get everything. */
export function basePermissions(subject: PermissionSubject): bigint {
  if (subject.userId === subject.ownerId) return ALL_PERMISSIONS;
  const everyone = subject.roles.find((r) => r.id === subject.guildId);
  let perms = everyone ? BigInt(everyone.permissions) : 0n;
  for (const roleId of subject.roleIds) {
    const role = subject.roles.find((r) => r.id === roleId);
    if (role) perms |= BigInt(role.permissions);
  }
  if ((perms & Permission.Administrator) === Permission.Administrator) return ALL_PERMISSIONS;
  return perms;
}

/** Channel permissions: base, then @everyone overwrite, role overwrites, member overwrite. */
export function channelPermissions(subject: PermissionSubject, overwrites: readonly APIOverwrite[]): bigint {
  const base = basePermissions(subject);
  if (has(base, Permission.Administrator)) return ALL_PERMISSIONS;
  let perms = base;
  const everyone = overwrites.find((o) => o.id === subject.guildId);
  if (everyone) {
    perms &= ~BigInt(everyone.deny);
    perms |= BigInt(everyone.allow);
  }
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (Number(o.type) === 0 && o.id !== subject.guildId && subject.roleIds.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  perms &= ~deny;
  perms |= allow;
  const member = overwrites.find((o) => Number(o.type) === 1 && o.id === subject.userId);
  if (member) {
    perms &= ~BigInt(member.deny);
    perms |= BigInt(member.allow);
  }
  // Without View Channel every other channel permission is implicitly denied.
  return has(perms, Permission.ViewChannel) ? perms : 0n;
}

export function has(perms: bigint, flag: bigint): boolean {
  return (perms & flag) === flag;
}
