/**
 * The platform-neutral reply model. Every string in it is plain text, never markup: each adapter
 * escapes it for its platform and draws the structure (heading, fields, lists) its own way.
 */
import type { Ping } from "./types.ts";

export type Visibility = "ephemeral" | "channel";

export type ReplyBlock =
  | { kind: "text"; text: string }
  /**
   * A digest's milestone headline ("7 days to WCIT-12 · …"), shown first and prominently. `ping` is
   * the one mention Docket ever sends: set only by the digest delivery, from the ping an admin gave
   * `deadline milestones`, and only for a channel of that ping's platform and workspace. Each adapter
   * writes it in its own syntax and allows exactly it; every text stays escaped.
   */
  | { kind: "headline"; text: string; ping?: Ping }
  | { kind: "fields"; fields: Field[] }
  | { kind: "list"; title?: string; items: ListItem[]; more?: string };

export interface Field {
  label: string;
  value: string;
}

export interface ListItem {
  text: string;
  detail?: string;
  /** The question this item is about. */
  questionNumber?: number;
  /** Set when the question is still open, so adapters offer an "Answer" action on it. */
  answerable?: true;
}

export interface ReplyFile {
  name: string;
  mimeType: string;
  content: string;
  /** How whoever runs Docket writes the same file on the server, for a platform that cannot take it. */
  serverCommand?: string;
}

export interface Reply {
  visibility: Visibility;
  heading?: string;
  blocks: ReplyBlock[];
  /** A short public line posted in the channel as well (for `ask` and `answer`). */
  announcement?: string;
  file?: ReplyFile;
  /** Set when the reply reports a user error; adapters may mark it as such. */
  error?: { code: string };
}

export const reply = {
  text(heading: string, ...lines: string[]): Reply {
    return { visibility: "ephemeral", heading, blocks: lines.map((text) => ({ kind: "text", text })) };
  },
  error(code: string, message: string): Reply {
    return { visibility: "ephemeral", blocks: [{ kind: "text", text: message }], error: { code } };
  },
};

/** Plain-text rendering, used by the console and as the fallback text of chat messages. */
export function replyToText(r: Reply): string {
  const out: string[] = [];
  if (r.heading) out.push(r.heading);
  for (const block of r.blocks) {
    switch (block.kind) {
      case "text":
        out.push(block.text);
        break;
      case "headline":
        out.push(block.ping ? `${block.ping.label} ${block.text}` : block.text);
        break;
      case "fields":
        for (const f of block.fields) out.push(`${f.label}: ${f.value}`);
        break;
      case "list":
        if (block.title) out.push(block.title);
        for (const item of block.items) {
          out.push(`• ${item.text}`);
          if (item.detail) out.push(`  ${item.detail.replaceAll("\n", "\n  ")}`);
        }
        if (block.more) out.push(block.more);
        break;
    }
  }
  return out.join("\n");
}

/** Freezes a value and everything in it: what is handed out again must not be changed by whoever got it first. */
export const deepFreeze = <T>(value: T): T => {
  freeze(value);
  return value;
};

const freeze = (value: unknown): void => {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  for (const inner of Object.values(value)) freeze(inner);
  Object.freeze(value);
};

/**
 * A reply that is the same on every request (help): frozen all through, so the core may hand out the
 * one object again and an adapter may keep what it rendered of it (`isStatic`) instead of escaping it anew.
 */
export function staticReply(reply: Reply): Reply {
  freeze(reply);
  return reply;
}

/** Whether a reply was made by `staticReply`, so what is rendered of it may be kept. */
export const isStatic = (reply: Reply): boolean => Object.isFrozen(reply) && Object.isFrozen(reply.blocks);

/**
 * An adapter's renderer that keeps what it drew of each static reply (help), per `variant` of its
 * options, and draws every other reply anew. What it kept is frozen; each caller gets its own array.
 */
export function keepRendered<O, M>(draw: (reply: Reply, options: O) => M[], variant: (options: O) => boolean): (reply: Reply, options: O) => M[] {
  const kept = new WeakMap<Reply, { variant: boolean; messages: readonly M[] }>();
  return (reply, options) => {
    if (!isStatic(reply)) return draw(reply, options);
    const key = variant(options);
    const have = kept.get(reply);
    if (have?.variant === key) return [...have.messages];
    const messages = deepFreeze(draw(reply, options));
    kept.set(reply, { variant: key, messages });
    return [...messages];
  };
}
