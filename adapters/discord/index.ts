import { defineTool, ToolError, type PlatformModule } from "../../src/platform.ts";

/** `docket discord-register`: registers `/docket` now, rather than at the next start. */
const discordRegisterTool = defineTool({
  name: "discord-register",
  usage: "[--force]",
  summary: "register the Discord slash commands now (skipped when unchanged; --force sends them anyway)",
  options: { force: { type: "boolean", default: false } },
  async run({ values }, ctx) {
    const { config, out } = ctx;
    const discord = config.discord;
    if (!discord) throw new ToolError("discord-register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_GUILD_ID to register to one server).");
    const { REST } = await import("discord.js");
    const { commandDefinitions } = await import("./command-definitions.ts");
    const { registerCommands, RegistrationError } = await import("./registration.ts");
    const { restBase } = await import("./discord-adapter.ts");
    const rest = new REST(discord.apiUrl ? { api: restBase(discord.apiUrl) } : {}).setToken(discord.token);
    const { store, close } = await ctx.openStore();
    try {
      const result = await registerCommands({
        rest, applicationId: discord.applicationId, ...(discord.guildId ? { guildId: discord.guildId } : {}),
        definitions: commandDefinitions(ctx.vocabulary, config.commandName), state: store.platformState, force: values.force, at: new Date().toISOString(),
      });
      out(result.changed ? `Registered /${config.commandName} (${result.target}).\n` : `/${config.commandName} is already registered (${result.target}) with these definitions; nothing sent. --force sends them anyway.\n`);
      for (const p of result.previous)
        out(
          p.outcome === "removed" ? `Removed the old registration (${p.target}).\n`
          : p.outcome === "forgotten" ? `Forgot the old registration (${p.target}): Docket is no longer there.\n`
          : `Could not remove the old registration (${p.target}); the next start tries again.\n`,
        );
    } catch (error) {
      if (error instanceof RegistrationError) throw new ToolError(error.message);
      throw error;
    } finally {
      await close();
    }
  },
});

/** Discord, when DISCORD_TOKEN and DISCORD_APPLICATION_ID are set. */
export const discordModule: PlatformModule = {
  name: "discord",
  configured: (config) => config.discord !== undefined,
  // why: with DISCORD_PUBLIC_KEY, Discord posts interactions to Docket's HTTP server instead of the gateway.
  servesHttp: (config) => config.discord?.publicKey !== undefined,
  async create(deps) {
    // why: discord.js is large; only a Docket that serves Discord loads it.
    if (deps.config.discord?.publicKey) {
      const { createDiscordHttpAdapter } = await import("./discord-http-adapter.ts");
      return createDiscordHttpAdapter(deps);
    }
    const { createDiscordAdapter } = await import("./discord-adapter.ts");
    return createDiscordAdapter(deps);
  },
  tools: [discordRegisterTool],
};
