/**
 * Slack and Discord in one process over one store and one clock, as main.ts runs them when both are
 * configured: the Slack rig (real Bolt over signed HTTP, fake Web API) and the Discord docket (real
 * discord.js against the fake gateway and REST), both over the same harness, and the one digest
 * delivery that posts through whichever platform a subscription's channel is on.
 */
import type { ChatPort } from "../../src/core/chat.ts";
import { createDigestDelivery } from "../../src/core/digest/delivery.ts";
import type { Platform } from "../../src/core/types.ts";
import { startDiscordDocket, type DiscordDocket } from "../adapters/discord/support.ts";
import { startRig, type Rig } from "../adapters/slack/support.ts";
import { harness, type Harness } from "./harness.ts";

export interface TwoPlatforms {
  h: Harness;
  slack: Rig;
  discord: DiscordDocket;
  /** Digest delivery with both platforms' chat ports; the rigs' own deliveries know one platform each. */
  delivery: ReturnType<typeof createDigestDelivery>;
  close(): Promise<void>;
}

export async function startTwoPlatforms(o: { now?: string } = {}): Promise<TwoPlatforms> {
  const h = harness({ now: o.now ?? "2026-11-29T10:00:00Z" });
  const started: Array<{ close(): Promise<void> }> = [];
  const close = async () => {
    for (const rig of started.splice(0).reverse()) await rig.close();
    h.close();
  };
  try {
    const slack = await startRig({ h });
    started.push(slack);
    const discord = await startDiscordDocket({ h });
    started.push(discord);
    const chats = new Map<Platform, ChatPort>([["slack", slack.adapter.chat], ["discord", discord.adapter.chat]]);
    const delivery = createDigestDelivery({ store: h.store, clock: h.clock, log: slack.log, chats, commandName: "docket", instanceId: "test" });
    return { h, slack, discord, delivery, close };
  } catch (error) {
    // why: a rig that failed half-way would leave the other's servers and the harness's database behind.
    await close();
    throw error;
  }
}
