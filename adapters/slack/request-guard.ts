import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import { HTTPModuleFunctions } from "@slack/bolt";
import type { Logger } from "../../src/core/api.ts";
import { errorText } from "./slack-errors.ts";
import { payloadProblem } from "./payload-shape.ts";
import { createReplayMemory } from "./replay-memory.ts";
import { checkSignature, signatureWindowMs } from "./request-signature.ts";

export interface RequestGuardOptions {
  signingSecret: string;
  log: Logger;
  /** The path Slack posts to (Bolt's default). */
  endpoint?: string;
  /** This server's clock for the signature window (default Date.now, the clock Bolt checks with too). */
  now?: () => number;
  /** Accepted requests remembered at most, against replays (default 20,000: 66 a second for five minutes). */
  replayCapacity?: number;
}

/** How long an event's id is remembered: Slack retries an unacknowledged event after about 1 and 5 minutes. */
const eventRetryWindowMs = 10 * 60 * 1000;

/**
 * Screens every POST to Slack's endpoint before Bolt's request listener sees it: a signature checked
 * both ways in time (401), a body that parses to what the listeners read (400), and a request seen
 * before (200, nothing run). What passes goes to Bolt as it came, its body already read; this is
 * the one signature check, so Bolt's receiver is built with its own turned off.
 * why: Bolt 5.1 handles the request in an async function nothing awaits; a signed body of `null`
 * (`payload=null`) threw there and, unhandled, ended the process. Checking the shape here, where the
 * answer can still be a 400, fixes the cause for every payload instead of catching crashes after.
 */
export function guardSlackRequests(bolt: RequestListener, o: RequestGuardOptions): RequestListener {
  const endpoint = o.endpoint ?? "/slack/events";
  const now = o.now ?? Date.now;
  const memory = createReplayMemory(o.replayCapacity ?? 20_000, now);
  const { log } = o;

  const answer = (res: ServerResponse, status: number) => {
    if (res.headersSent) return;
    res.writeHead(status);
    res.end();
  };

  const admit = (key: string, untilMs: number): boolean => {
    const evictedBefore = memory.evicted;
    const fresh = memory.admit(key, untilMs);
    if (memory.evicted > evictedBefore && (evictedBefore === 0 || memory.evicted % 1000 === 0)) {
      log.warn("replay memory full: forgetting the oldest accepted slack requests early", { capacity: memory.size, evicted: memory.evicted });
    }
    return fresh;
  };

  async function screen(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let buffered: IncomingMessage & { rawBody: Buffer };
    try {
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
    } catch (error) {
      const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413;
      log.warn("could not read a slack request", { error: errorText(error) });
      answer(res, tooLarge ? 413 : 400);
      return;
    }
    const raw = buffered.rawBody;
    // why: Slack's ssl_check is sent unsigned. It is answered here, 200 and nothing read beside it,
    // because Bolt no longer checks signatures after this guard (see the receiver in slack-adapter.ts).
    if (isSslCheck(req, raw)) {
      answer(res, 200);
      return;
    }
    const check = checkSignature({ signature: req.headers["x-slack-signature"], timestamp: req.headers["x-slack-request-timestamp"] }, raw, o.signingSecret, now());
    if (!check.ok) {
      log.warn("refused a slack request", { reason: check.reason });
      answer(res, 401);
      return;
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch (error) {
      log.warn("refused a signed slack request that does not parse", { error: errorText(error) });
      answer(res, 400);
      return;
    }
    const problem = payloadProblem(body);
    if (problem) {
      log.warn("refused a malformed signed slack request", { problem });
      answer(res, 400);
      return;
    }
    const retry = req.headers["x-slack-retry-num"];
    // why: the same bytes under the same signature are a replay (or a proxy's resend): acknowledged, not run again.
    if (!admit(`sig:${check.signature}`, check.timestampMs + signatureWindowMs)) {
      log.warn("ignored a replayed slack request", { ...(retry ? { retry } : {}) });
      answer(res, 200);
      return;
    }
    // why: Slack's own retries of an event are signed afresh; the event's id says it is one already taken.
    const eventId = eventIdOf(body);
    if (eventId && !admit(`event:${eventId}`, now() + eventRetryWindowMs)) {
      log.info("ignored a repeated slack event", { eventId, ...(retry ? { retry } : {}) });
      answer(res, 200);
      return;
    }
    bolt(buffered, res);
  }

  return (req, res) => {
    const path = URL.canParse(req.url ?? "", "http://localhost") ? new URL(req.url ?? "", "http://localhost").pathname : undefined;
    // why: everything else (healthz, the install pages, 404s) stays on Bolt's synchronous path and its error handler.
    if (req.method?.toUpperCase() !== "POST" || path !== endpoint) {
      bolt(req, res);
      return;
    }
    screen(req, res).catch((error: unknown) => {
      log.error("slack request failed before dispatch", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      answer(res, 500);
    });
  };
}

/** Slack's unsigned ssl_check (`ssl_check=1`); the body is parsed only when it names the field, which a command's never does. */
function isSslCheck(req: IncomingMessage, raw: Buffer): boolean {
  return req.headers["content-type"] === "application/x-www-form-urlencoded" && raw.includes("ssl_check=") && parseQuery(raw.toString())["ssl_check"] === "1";
}

function eventIdOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("event_id" in body)) return undefined;
  return typeof body.event_id === "string" && body.event_id ? body.event_id : undefined;
}
