import { MessageFlags, type RepliableInteraction } from "discord.js";
import type { Logger } from "../../src/core/api.ts";

/** How long Docket works on an interaction before it defers it (ms). why: Discord fails an interaction not answered within 3 s of sending it. */
export const defaultDeferAfterMs = 2000;

/** What a late form says instead: Discord opens a form only as an interaction's first answer. */
export const lateFormText = (commandName: string) =>
  `Docket took too long to open the form, and Discord opens one only right away. Nothing was changed: run /${commandName} again, or give the options in the command.`;

export interface DeferDeadline {
  /** Stops the deadline; resolves once a deferral it began has reached Discord (or failed, which is logged). */
  settled(): Promise<void>;
}

/**
 * Defers the interaction ("thinking…", only to the member) when `ms` pass before Docket has answered
 * it; the answer then edits that message in.
 */
export function deferByDeadline(interaction: RepliableInteraction, ms: number, log: Logger): DeferDeadline {
  let deferring: Promise<void> | undefined;
  const timer = setTimeout(() => {
    if (interaction.deferred || interaction.replied) return;
    log.info("deferred a Discord interaction whose answer was not ready in time", { interaction: interaction.id, afterMs: ms });
    deferring = interaction.deferReply({ flags: MessageFlags.Ephemeral }).then(
      () => undefined,
      (error: unknown) => log.warn("could not defer a Discord interaction", { interaction: interaction.id, error: error instanceof Error ? error.message : String(error) }),
    );
  }, ms);
  return {
    async settled() {
      clearTimeout(timer);
      await deferring;
    },
  };
}
