import { ChatError, type ChatPort, type SentMessage } from "../chat.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../core.ts";
import { addDays } from "../dates/calendar.ts";
import { formatInstant } from "../dates/format.ts";
import { localParts } from "../dates/wall-clock.ts";
import type { Store } from "../ports.ts";
import type { Reply } from "../reply.ts";
import type { Platform, Subscription } from "../types.ts";
import { defaultDigestOpenLimit, subscriptionDigest } from "./model.ts";
import { nextSlot, slotOn } from "./schedule.ts";

export interface DeliveryOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  /** The chat port of each platform that is running; subscriptions of others wait. */
  chats: ReadonlyMap<Platform, ChatPort>;
  commandName: string;
  /** Names this process in the ledger's claims; each claim adds a counter, so claims are fenced one from another. */
  instanceId: string;
  openLimit?: number;
  /**
   * How long a claim holds before another claimer may take it over (`DOCKET_LEASE_SECONDS`, default
   * 60 s), renewed before and after each part. Must outlast one part's send (a 10 s request timeout
   * plus any rate-limit wait the port takes in place).
   */
  leaseMs?: number;
  /** How a ledger write waits before trying again (default: real time); tests give virtual waits. */
  wait?: (ms: number) => Promise<void>;
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

export const defaultLeaseMs = 60_000;

/** How many due subscriptions one pass takes (and holds) at a time. */
const dueBatch = 100;
/** A subscription's next look is never sooner than this after the pass, so one pass never takes it twice. */
const minNextLookMs = 1000;

/**
 * Back-off after the nth failed attempt: 30 s, 1 min, 2 min, 4 min, then 5 min at most, so a storm of
 * a few minutes delays a digest by minutes, not hours. A longer Retry-After the platform asked for is
 * honoured as given.
 */
export const maxRetryDelayMs = 5 * 60_000;
export const retryDelayMs = (attempts: number, retryAfterMs = 0): number => Math.max(retryAfterMs, Math.min(maxRetryDelayMs, 30_000 * 2 ** Math.max(0, Math.min(attempts, 16) - 1)));

/** Waits between tries of a ledger write that failed (the database busy past its own busy timeout). */
const ledgerRetryWaitsMs = [250, 1000, 4000] as const;

/** A ledger write that kept failing: the claim is left to expire and be taken over, never marked failed. */
class LedgerWriteError extends Error {
  override readonly name = "LedgerWriteError";
}

/** Another claimer took this delivery over (our lease expired): we record and send nothing more. */
class LeaseLost extends Error {
  override readonly name = "LeaseLost";
}

const realWait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Delivers due digests through the ledger: each (subscription, local date) is claimed in the
 * database before posting, so a digest goes out at most once per day whatever restarts, retries
 * or second processes happen. A digest too long for one message is rendered once into parts that
 * the ledger keeps, each recorded as it goes out, so a retry sends only the rest. Days that went by
 * unposted are recorded as missed, never posted.
 *
 * A claim is a lease (see DeliveryStore): a claimer that dies leaves a claim that another pass takes
 * over once the lease ends, the same local day. A part whose send may have landed (timeout, server
 * error, death) is looked for on the platform before it is sent again (ChatPort.findSent). Ledger
 * writes are tried again on failure (a busy database), and a post that went out is never recorded as
 * failed: if its record cannot be written, the claim is left to expire and the takeover finds it.
 */
export function createDigestDelivery(o: DeliveryOptions) {
  const { store, clock, log } = o;
  let running: Promise<TickReport> | undefined;

  /** Records the selected days between the last ledger row and today that got nothing. */
  async function recordMissed(sub: Subscription, today: string, at: string): Promise<number> {
    const latest = await store.deliveries.latest(sub.id);
    const activeDay = localParts(new Date(sub.activeSince), sub.timeZone).date;
    let day = latest ? addDays(latest.localDate, 1) : activeDay;
    if (day < addDays(today, -missedLookbackDays)) day = addDays(today, -missedLookbackDays);
    let missed = 0;
    for (; day < today; day = addDays(day, 1)) {
      const slot = slotOn(sub, day);
      if (slot && slot.toISOString() >= sub.activeSince && (await store.deliveries.markMissed(sub.id, day, slot.toISOString(), at))) missed++;
    }
    return missed;
  }

  let claims = 0;
  const leaseMs = o.leaseMs ?? defaultLeaseMs;
  const wait = o.wait ?? realWait;
  const leaseFrom = (now: Date) => new Date(now.getTime() + leaseMs).toISOString();

  /**
   * One ledger write, tried again a few times when it throws (SQLITE_BUSY past the busy timeout, a
   * serialization failure on a server database): whatever the engine, a write that failed once is
   * worth a second try, and one that keeps failing is bounded.
   */
  async function ledger<T>(what: string, write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        const waitMs = ledgerRetryWaitsMs[attempt];
        if (waitMs === undefined) throw new LedgerWriteError(`${what}: ${messageOf(error)}`);
        log.warn("delivery ledger write failed; trying again", { what, error: messageOf(error), waitMs });
        await wait(waitMs);
      }
    }
  }

  /** The subscription's next slot after `now` (today's while it is still ahead). */
  const nextSlotAfter = (sub: Subscription, now: Date): Date => nextSlot(sub, now).at;
  const afterLease = () => new Date(clock.now().getTime() + leaseMs);

  /** When a delivery someone else holds, or that is over, needs its subscription looked at again. */
  async function nextLookAtLedger(sub: Subscription, today: string, now: Date): Promise<Date> {
    const delivery = await store.deliveries.get(sub.id, today);
    // why a whole lease: the holder renews it with each part, so its end is no earlier than this.
    if (delivery?.state === "claimed") return afterLease();
    if (delivery?.state === "failed" && delivery.retryAt) return new Date(delivery.retryAt);
    return nextSlotAfter(sub, now);
  }

  /**
   * Delivers the subscription's digest if one is due and claimable; resolves to when the
   * subscription next needs a look: its next slot, a retry's time, or the end of a lease someone
   * else (or this claimer, when its record could not be written) holds.
   */
  async function deliver(sub: Subscription, report: TickReport): Promise<Date> {
    const now = clock.now();
    const at = now.toISOString();
    const today = localParts(now, sub.timeZone).date;
    report.missed += await recordMissed(sub, today, at);
    const slot = slotOn(sub, today);
    if (!slot || slot > now || slot.toISOString() < sub.activeSince) return nextSlotAfter(sub, now);
    const chat = o.chats.get(sub.channel.platform);
    // why a lease, not the next slot: another replica may run that platform, or this one may start it.
    if (!chat) return afterLease();
    const docket = await store.dockets.get(sub.docketId);
    if (!docket) return nextSlotAfter(sub, now);
    const late = now.getTime() - slot.getTime() > lateAfterMs;
    const by = `${o.instanceId}#${++claims}`;
    const claim = await store.deliveries.claim(sub.id, today, slot.toISOString(), late, by, at, leaseFrom(now));
    if (!claim) return nextLookAtLedger(sub, today, now);
    if (claim.attempts > 1) log.info("digest delivery taken up again", { subscription: sub.id, date: today, attempt: claim.attempts });
    let failure: ChatError;
    try {
      await sendParts(sub, today, by, chat, () => subscriptionDigest(store, docket, sub, now, { commandName: o.commandName, openLimit: o.openLimit ?? defaultDigestOpenLimit, late, pingIn: sub.channel }));
      if (!(await ledger("record a sent digest", () => store.deliveries.markSent(sub.id, today, by, clock.now().toISOString())))) throw new LeaseLost();
      report.sent++;
      log.info("digest sent", { subscription: sub.id, date: today, late });
      return nextSlotAfter(sub, clock.now());
    } catch (error) {
      if (error instanceof LeaseLost) {
        log.warn("digest delivery taken over by another claimer after this one's lease ran out", { subscription: sub.id, date: today, claimer: by });
        return afterLease();
      }
      if (error instanceof LedgerWriteError) {
        // why: what went out may not be recorded; marking the delivery failed could post it again. The
        // claim expires instead, and its taker looks for any part whose outcome is unknown.
        report.failed++;
        log.error("digest delivery could not be recorded; left to its lease", { subscription: sub.id, date: today, error: error.message, leaseMs });
        return afterLease();
      }
      failure = error instanceof ChatError ? error : new ChatError("retryable", messageOf(error));
    }
    report.failed++;
    try {
      if (failure.kind === "permanent") {
        await pause(sub, failure.message, chat);
        await ledger("record a refused digest", () => store.deliveries.markFailed(sub.id, today, by, failure.message, null, clock.now().toISOString()));
        report.paused++;
        return nextSlotAfter(sub, clock.now());
      }
      const retryAt = new Date(clock.now().getTime() + retryDelayMs(claim.attempts, failure.retryAfterMs));
      // why: a retry that would land on the next local day is no retry: that day is over for this digest.
      const stillToday = localParts(retryAt, sub.timeZone).date === today;
      await ledger("record a failed digest", () => store.deliveries.markFailed(sub.id, today, by, failure.message, stillToday ? retryAt.toISOString() : null, clock.now().toISOString()));
      log.warn("digest failed", { subscription: sub.id, date: today, error: failure.message, retryAt: stillToday ? retryAt.toISOString() : null });
      return stillToday ? retryAt : nextSlotAfter(sub, clock.now());
    } catch (error) {
      // why: a claim whose failure could not be recorded expires and is retried by the takeover.
      log.error("digest failure could not be recorded; left to its lease", { subscription: sub.id, date: today, error: messageOf(error), leaseMs });
      return afterLease();
    }
  }

  /**
   * Sends a claimed delivery's parts in order, from the first not yet recorded as sent, recording each
   * as soon as it went out. The digest is rendered on the first attempt only; later attempts, in this
   * process or one started after a restart, send the stored rendering, since a fresh one (the docket
   * may have changed) could split elsewhere and repeat or skip items. A part whose earlier send may
   * have landed is looked for first (`findSent`) and recorded, not posted, when found.
   */
  async function sendParts(sub: Subscription, date: string, by: string, chat: ChatPort, digest: () => Promise<Reply>): Promise<void> {
    let parts = await ledger("read a digest's parts", () => store.deliveries.parts(sub.id, date));
    if (parts.length === 0) {
      const rendered = chat.render(await digest());
      if (rendered.length === 0) throw new Error("the chat port rendered the digest as no message");
      parts = await ledger("keep a digest's parts", () => store.deliveries.saveParts(sub.id, date, rendered));
    }
    const deliveryKey = `digest-${sub.id}-${date}`;
    const record = async (part: number, messageId: string) => {
      const now = clock.now();
      if (!(await ledger("record a sent part", () => store.deliveries.markPartSent(sub.id, date, part, messageId, by, now.toISOString(), leaseFrom(now))))) throw new LeaseLost();
    };
    for (const { part, body, messageId, attemptedAt } of parts) {
      if (messageId !== null) continue;
      if (body === null) throw new Error(`part ${part} of ${deliveryKey} was not kept`);
      const key = { deliveryKey, part, parts: parts.length };
      if (attemptedAt !== null && chat.findSent) {
        const found = await chat.findSent(sub.channel, key);
        if (found) {
          log.info("a digest part whose send had no answer was found posted; recorded, not posted again", { subscription: sub.id, date, part, since: attemptedAt });
          await record(part, found.messageId);
          continue;
        }
      }
      const now = clock.now();
      if (!(await ledger("record a part's attempt", () => store.deliveries.markAttempt(sub.id, date, part, by, now.toISOString(), leaseFrom(now))))) throw new LeaseLost();
      let sent: SentMessage;
      try {
        sent = await chat.send(sub.channel, body, key);
      } catch (error) {
        // why: a refusal certainly posted nothing, so the next attempt need not look for it first.
        if (error instanceof ChatError && !error.mayHaveLanded) await ledger("forget a refused part's attempt", () => store.deliveries.clearAttempt(sub.id, date, part, by));
        throw error;
      }
      await record(part, sent.messageId);
    }
  }

  async function pause(sub: Subscription, reason: string, chat: ChatPort): Promise<void> {
    const at = clock.now().toISOString();
    await store.transaction(async (tx) => {
      await tx.subscriptions.pause(sub.id, reason, at);
      await tx.audit.record({ docketId: sub.docketId, actor: "Docket", at, action: "digest.pause", subject: `channel:${sub.channel.channelId}`, before: sub, after: { state: "paused", reason } });
    });
    log.warn("digest paused", { subscription: sub.id, reason });
    const admins = (await store.admins.list(sub.docketId)).filter((a) => a.kind === "member" && a.platform === sub.channel.platform).map((a) => a.id);
    const text = `The daily digest for channel ${sub.channel.channelId} is paused: ${reason}. Once Docket can post there again, run /${o.commandName} digest on in that channel to resume it. (${formatInstant(new Date(at), sub.timeZone)})`;
    try {
      await chat.notifyAdmins(sub.channel.workspaceId, text, admins);
    } catch (error) {
      log.warn("could not tell admins about a paused digest", { subscription: sub.id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * Delivers one held subscription and records when it is next due, only over this pass's own hold
   * (a takeover's or a change's value stands). A crash leaves the hold, which brings it back.
   */
  async function deliverHeld(sub: Subscription, held: string, report: TickReport): Promise<void> {
    const next = await deliver(sub, report);
    const floor = clock.now().getTime() + minNextLookMs;
    const at = new Date(Math.max(next.getTime(), floor)).toISOString();
    try {
      await store.subscriptions.setNextSlot(sub.id, at, held);
    } catch (error) {
      log.warn("could not record when a subscription is next due; its hold brings it back", { subscription: sub.id, next: at, heldUntil: held, error: messageOf(error) });
    }
  }

  async function tickOnce(): Promise<TickReport> {
    const report: TickReport = { sent: 0, failed: 0, paused: 0, missed: 0 };
    for (;;) {
      const now = clock.now();
      const held = leaseFrom(now);
      // why: only due subscriptions are read, each held so other replicas skip it while this one works.
      const due = await store.subscriptions.takeDue(now.toISOString(), held, dueBatch);
      // why: one channel's slow or failing post must not hold up the others.
      const results = await Promise.allSettled(due.map((sub) => deliverHeld(sub, held, report)));
      for (const r of results) if (r.status === "rejected") log.error("digest delivery crashed; its hold brings it back", { error: String(r.reason), heldUntil: held });
      if (due.length < dueBatch) return report;
    }
  }

  return {
    /** One pass over every due subscription. Concurrent calls share the pass in progress. */
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
