import { createHash } from "node:crypto";
import { DiscordAPIError, Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { PlatformStateStore } from "../../src/core/api.ts";

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
  /** What became of each registration this application had elsewhere (another guild, or global). */
  previous: PreviousRegistration[];
}

/**
 * An earlier target's registration. `removed`: its commands were overwritten with none and its hash
 * deleted. `forgotten`: Discord answered 403/404 (the bot is no longer in that server), so there is
 * nothing Docket can remove; the hash is deleted. `kept`: another failure; the hash stays, so the
 * next start tries again.
 */
export interface PreviousRegistration {
  /** "guild 123" or "global". */
  target: string;
  outcome: "removed" | "forgotten" | "kept";
  /** Discord's answer when it was not removed. */
  error?: string;
}

/** Why registration failed, with what the operator should do about it. */
export class RegistrationError extends Error {
  override readonly name = "RegistrationError";
}

export const definitionsHash = (definitions: readonly unknown[]): string => createHash("sha256").update(JSON.stringify(definitions)).digest("hex");

/** The platform-state key of the hash of what was last registered for this application and target. */
export const hashKey = (applicationId: string, guildId?: string): string => `commands:${applicationId}:${guildId ? `guild:${guildId}` : "global"}`;

const targetName = (guildId?: string): string => (guildId ? `guild ${guildId}` : "global");

const commandsRoute = (applicationId: string, guildId?: string) => (guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId));

/**
 * Puts the command definitions with one bulk overwrite, but only when they differ from what was
 * last registered for that target, so a restart costs no request and none of Discord's daily
 * command-create budget. The hash is stored only after Discord accepted the definitions. Then the
 * registrations of other targets this application still has stored hashes for are emptied.
 */
export async function registerCommands(r: RegistrationRequest): Promise<RegistrationResult> {
  const target = targetName(r.guildId);
  const key = hashKey(r.applicationId, r.guildId);
  const hash = definitionsHash(r.definitions);
  const changed = r.force === true || (await r.state.get("discord", key)) !== hash;
  if (changed) {
    try {
      await r.rest.put(commandsRoute(r.applicationId, r.guildId), { body: r.definitions });
    } catch (error) {
      throw new RegistrationError(explain(error, r));
    }
    await r.state.set("discord", key, hash, r.at);
  }
  // why: even when this target is unchanged, a removal that failed last time is tried again.
  const previous = await removePrevious(r, key);
  return { changed, target, count: r.definitions.length, previous };
}

/**
 * Empties every other target this application registered to (a guild it left for global, global
 * for a guild, another guild), or members see the command twice. No stored key, no request.
 */
async function removePrevious(r: RegistrationRequest, current: string): Promise<PreviousRegistration[]> {
  const prefix = `commands:${r.applicationId}:`;
  const out: PreviousRegistration[] = [];
  for (const key of await r.state.keys("discord", prefix)) {
    if (key === current) continue;
    const suffix = key.slice(prefix.length);
    const guildId = suffix.startsWith("guild:") ? suffix.slice("guild:".length) : undefined;
    if (suffix !== "global" && !guildId) continue;
    const target = targetName(guildId);
    try {
      await r.rest.put(commandsRoute(r.applicationId, guildId), { body: [] });
      await r.state.delete("discord", key);
      out.push({ target, outcome: "removed" });
    } catch (error) {
      const message = error instanceof DiscordAPIError ? `${error.status} ${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
      // why: 403/404 means the bot is no longer in that server, and its commands left with it.
      const gone = error instanceof DiscordAPIError && (error.status === 403 || error.status === 404);
      if (gone) await r.state.delete("discord", key);
      out.push({ target, outcome: gone ? "forgotten" : "kept", error: message });
    }
  }
  return out;
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
