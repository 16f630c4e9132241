import { ChatError, type ChatPort } from "../chat.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../core.ts";
import { addDays } from "../dates/calendar.ts";
import { formatInstant } from "../dates/format.ts";
import { localParts } from "../dates/wall-clock.ts";
import type { Store } from "../ports.ts";
import type { Reply } from "../reply.ts";
import type { Platform, Subscription } from "../types.ts";
import { defaultDigestOpenLimit, subscriptionDigest } from "./model.ts";
import { slotOn } from "./schedule.ts";

export interface DeliveryOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  /** The chat port of each platform that is running; subscriptions of others wait. */
  chats: ReadonlyMap<Platform, ChatPort>;
  commandName: string;
  /** Names this process in the ledger's claims, for diagnosing two processes on one file. */
  instanceId: string;
  openLimit?: number;
}

export type Outcome = "sent" | "retry" | "paused" | "skipped";

export interface TickReport {
  sent: number;
  failed: number;
  paused: number;
  missed: number;
}

/** A slot more than this past its time is posted marked late (a tick can run up to a minute after it). */
const lateAfterMs = 2 * 60 * 1000;
/** How far back downtime is recorded as missed days; older gaps are not worth a row each. */
const missedLookbackDays = 31;

/** Back-off after the nth failed attempt: 30 s, 1 min, 2 min, … up to 30 min. */
export const retryDelayMs = (attempts: number, retryAfterMs = 0): number => Math.max(retryAfterMs, Math.min(30 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1)));

/**
 * Delivers due digests through the ledger: each (subscription, local date) is claimed in the
 * database before posting, so a digest goes out at most once per day whatever restarts, retries
 * or second processes happen. A digest too long for one message is rendered once into parts that
 * the ledger keeps, each recorded as it goes out, so a retry sends only the rest. Days that went by
 * unposted are recorded as missed, never posted.
 */
export function createDigestDelivery(o: DeliveryOptions) {
  const { store, clock, log } = o;
  let running: Promise<TickReport> | undefined;

  /** Records the selected days between the last ledger row and today that got nothing. */
  function recordMissed(sub: Subscription, today: string, at: string): number {
    const latest = store.deliveries.latest(sub.id);
    const activeDay = localParts(new Date(sub.activeSince), sub.timeZone).date;
    let day = latest ? addDays(latest.localDate, 1) : activeDay;
    if (day < addDays(today, -missedLookbackDays)) day = addDays(today, -missedLookbackDays);
    let missed = 0;
    for (; day < today; day = addDays(day, 1)) {
      const slot = slotOn(sub, day);
      if (slot && slot.toISOString() >= sub.activeSince && store.deliveries.markMissed(sub.id, day, slot.toISOString(), at)) missed++;
    }
    return missed;
  }

  async function deliver(sub: Subscription, report: TickReport): Promise<void> {
    const now = clock.now();
    const at = now.toISOString();
    const today = localParts(now, sub.timeZone).date;
    report.missed += recordMissed(sub, today, at);
    const slot = slotOn(sub, today);
    if (!slot || slot > now || slot.toISOString() < sub.activeSince) return;
    const chat = o.chats.get(sub.channel.platform);
    if (!chat) return;
    const docket = store.dockets.get(sub.docketId);
    if (!docket) return;
    const late = now.getTime() - slot.getTime() > lateAfterMs;
    const claim = store.deliveries.claim(sub.id, today, slot.toISOString(), late, o.instanceId, at);
    if (!claim) return;
    try {
      await sendParts(sub, today, chat, () => subscriptionDigest(store, docket, sub, now, { commandName: o.commandName, openLimit: o.openLimit ?? defaultDigestOpenLimit, late }));
      store.deliveries.markSent(sub.id, today, clock.now().toISOString());
      report.sent++;
      log.info("digest sent", { subscription: sub.id, date: today, late });
    } catch (error) {
      const failure = error instanceof ChatError ? error : new ChatError("retryable", error instanceof Error ? error.message : String(error));
      report.failed++;
      if (failure.kind === "permanent") {
        await pause(sub, failure.message, chat);
        store.deliveries.markFailed(sub.id, today, failure.message, null, clock.now().toISOString());
        report.paused++;
        return;
      }
      const retryAt = new Date(clock.now().getTime() + retryDelayMs(claim.attempts, failure.retryAfterMs));
      // why: a retry that would land on the next local day is no retry: that day is over for this digest.
      const stillToday = localParts(retryAt, sub.timeZone).date === today;
      store.deliveries.markFailed(sub.id, today, failure.message, stillToday ? retryAt.toISOString() : null, clock.now().toISOString());
      log.warn("digest failed", { subscription: sub.id, date: today, error: failure.message, retryAt: stillToday ? retryAt.toISOString() : null });
    }
  }

  /**
   * Sends a claimed delivery's parts in order, from the first not yet recorded as sent, recording each
   * as soon as it went out. The digest is rendered on the first attempt only; later attempts, in this
   * process or one started after a restart, send the stored rendering, since a fresh one (the docket
   * may have changed) could split elsewhere and repeat or skip items.
   */
  async function sendParts(sub: Subscription, date: string, chat: ChatPort, digest: () => Reply): Promise<void> {
    let parts = store.deliveries.parts(sub.id, date);
    if (parts.length === 0) {
      const rendered = chat.render(digest());
      if (rendered.length === 0) throw new Error("the chat port rendered the digest as no message");
      parts = store.deliveries.saveParts(sub.id, date, rendered);
    }
    const deliveryKey = `digest-${sub.id}-${date}`;
    for (const { part, body, messageId } of parts) {
      if (messageId !== null) continue;
      if (body === null) throw new Error(`part ${part} of ${deliveryKey} was not kept`);
      const sent = await chat.send(sub.channel, body, { deliveryKey, part, parts: parts.length });
      store.deliveries.markPartSent(sub.id, date, part, sent.messageId, clock.now().toISOString());
    }
  }

  async function pause(sub: Subscription, reason: string, chat: ChatPort): Promise<void> {
    const at = clock.now().toISOString();
    store.transaction(() => {
      store.subscriptions.pause(sub.id, reason, at);
      store.audit.record({ docketId: sub.docketId, actor: "Docket", at, action: "digest.pause", subject: `channel:${sub.channel.channelId}`, before: sub, after: { state: "paused", reason } });
    });
    log.warn("digest paused", { subscription: sub.id, reason });
    const admins = store.admins.list(sub.docketId).filter((a) => a.kind === "member" && a.platform === sub.channel.platform).map((a) => a.id);
    const text = `The daily digest for channel ${sub.channel.channelId} is paused: ${reason}. Once Docket can post there again, run /${o.commandName} digest on in that channel to resume it. (${formatInstant(new Date(at), sub.timeZone)})`;
    try {
      await chat.notifyAdmins(sub.channel.workspaceId, text, admins);
    } catch (error) {
      log.warn("could not tell admins about a paused digest", { subscription: sub.id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function tickOnce(): Promise<TickReport> {
    const report: TickReport = { sent: 0, failed: 0, paused: 0, missed: 0 };
    // why: one channel's slow or failing post must not hold up the others.
    const results = await Promise.allSettled(store.subscriptions.active().map((sub) => deliver(sub, report)));
    for (const r of results) if (r.status === "rejected") log.error("digest delivery crashed", { error: String(r.reason) });
    return report;
  }

  return {
    /** One pass over every active subscription. Concurrent calls share the pass in progress. */
    tick(): Promise<TickReport> {
      running ??= tickOnce().finally(() => {
        running = undefined;
      });
      return running;
    },
    /** Resolves once no pass is in progress, so shutdown never closes the store under a post. */
    async settled(): Promise<void> {
      await running;
    },
  };
}

export type DigestDelivery = ReturnType<typeof createDigestDelivery>;
