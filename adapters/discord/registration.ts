import { createHash } from "node:crypto";
import { DiscordAPIError, Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { PlatformStateStore } from "../../src/core/ports.ts";

export interface RegistrationRequest {
  rest: REST;
  applicationId: string;
  /** Register to this guild only (instant); otherwise globally. */
  guildId?: string;
  definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  state: PlatformStateStore;
  /** Send even when the stored hash says Discord already has these definitions. */
  force?: boolean;
  at: string;
}

export interface RegistrationResult {
  changed: boolean;
  /** "guild 123" or "global". */
  target: string;
  count: number;
}

/** Why registration failed, with what the operator should do about it. */
export class RegistrationError extends Error {
  override readonly name = "RegistrationError";
}

export const definitionsHash = (definitions: readonly unknown[]): string => createHash("sha256").update(JSON.stringify(definitions)).digest("hex");

/** The platform-state key of the hash of what was last registered for this application and target. */
export const hashKey = (applicationId: string, guildId?: string): string => `commands:${applicationId}:${guildId ? `guild:${guildId}` : "global"}`;

/**
 * Puts the command definitions with one bulk overwrite, but only when they differ from what was
 * last registered for that target, so a restart costs no request and none of Discord's daily
 * command-create budget. The hash is stored only after Discord accepted the definitions.
 */
export async function registerCommands(r: RegistrationRequest): Promise<RegistrationResult> {
  const target = r.guildId ? `guild ${r.guildId}` : "global";
  const key = hashKey(r.applicationId, r.guildId);
  const hash = definitionsHash(r.definitions);
  if (!r.force && r.state.get("discord", key) === hash) return { changed: false, target, count: r.definitions.length };
  const route = r.guildId ? Routes.applicationGuildCommands(r.applicationId, r.guildId) : Routes.applicationCommands(r.applicationId);
  try {
    await r.rest.put(route, { body: r.definitions });
  } catch (error) {
    throw new RegistrationError(explain(error, r));
  }
  r.state.set("discord", key, hash, r.at);
  return { changed: true, target, count: r.definitions.length };
}

function explain(error: unknown, r: RegistrationRequest): string {
  const what = r.guildId ? `in the server ${r.guildId} (DISCORD_GUILD_ID)` : "globally";
  if (error instanceof DiscordAPIError) {
    if (error.status === 401) return `Discord rejected DISCORD_TOKEN while registering commands ${what}: copy the bot token again from the Developer Portal.`;
    if (error.status === 403 && r.guildId)
      return `Discord refused to register commands ${what} (${error.code}: ${error.message}): invite the bot to that server with the bot and applications.commands scopes, or unset DISCORD_GUILD_ID to register globally.`;
    if (error.status === 403 || error.status === 404)
      return `Discord refused to register commands ${what} (${error.code}: ${error.message}): check that DISCORD_APPLICATION_ID is this bot's application id.`;
    return `Discord refused the command definitions ${what} (${error.status} ${error.code}: ${error.message}).`;
  }
  return `Could not register commands ${what}: ${error instanceof Error ? error.message : String(error)}`;
}
