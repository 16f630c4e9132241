import type { Core } from "../../src/core/core.ts";

/** A hold on the next event: `arrived` resolves once the adapter has handed it over; the core sees it only after `release`. */
export interface Hold {
  arrived: Promise<void>;
  release(): void;
}

export interface HoldableCore extends Core {
  /** Holds the next event `handle` receives, as a busy store would, until the test releases it. */
  hold(): Hold;
}

/**
 * The core, with a hold a test can put on the next event. why: an adapter's deadline (Slack's ack,
 * Discord's 3 s) is tested by what arrives while the command is held, never by measuring time.
 */
export function holdableCore(core: Core): HoldableCore {
  let next: { arrived(): void; gate: Promise<void> } | undefined;
  return {
    commandName: core.commandName,
    vocabulary: core.vocabulary,
    suggest: (request) => core.suggest(request),
    workspaceGone: (workspace, reason) => core.workspaceGone(workspace, reason),
    async handle(event) {
      const held = next;
      next = undefined;
      if (held) {
        held.arrived();
        await held.gate;
      }
      return core.handle(event);
    },
    hold() {
      let arrived!: () => void;
      let release!: () => void;
      const hold: Hold = { arrived: new Promise<void>((r) => (arrived = r)), release: () => release() };
      next = { arrived: () => arrived(), gate: new Promise<void>((r) => (release = r)) };
      return hold;
    },
  };
}
