import { addDays } from "./dates/calendar.ts";
import { dateFit, parseDate } from "./dates/read-date.ts";
import { parseDays } from "./dates/read-days.ts";
import { parseTime } from "./dates/read-time.ts";
import { todayIn } from "./dates/wall-clock.ts";
import { parseZone } from "./dates/zones.ts";
import { UserError } from "./errors.ts";
import { limits } from "./limits.ts";
import { rawText, type RawOptions, type RawValue } from "./parse/bind.ts";
import { boundedText, cleanText, lengthOf } from "./text.ts";
import type { Repos } from "./ports.ts";
import type { AdminTarget, Deadline, Docket, NeededBy, Ping, Platform, Question } from "./types.ts";
import type { Command, OptionSpec, OptionValues } from "./vocabulary.ts";

export interface ResolveScope {
  store: Repos;
  docket: Docket;
  now: Date;
  platform: Platform;
  root: string;
}

/** The value that clears an optional field, as `to:none`. */
export const clearWord = "none";

/** Turns raw option text into validated domain values, or throws a UserError naming the option. */
export async function resolveOptions(command: Command, raw: RawOptions, scope: ResolveScope): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  for (const o of command.options) {
    const value = raw[o.name];
    if (value === undefined || (typeof value === "string" && cleanText(value) === "" && !o.required)) {
      if (o.required)
        throw new UserError(`${o.name}.missing`, `${command.name} needs ${describe(o)}: write it like /${scope.root} ${command.examples[0] ?? command.name}`, o.name);
      continue;
    }
    // why: one clearing form for every field that can be empty (issue 10): `to:none`, `by:none`, `tags:none`, `time:none`, `at:none`.
    if (o.clearable && typeof value === "string" && cleanText(value).toLowerCase() === clearWord) {
      input[o.name] = null;
      continue;
    }
    try {
      input[o.name] = await resolveOne(o, value, command, scope);
    } catch (error) {
      throw error instanceof UserError ? error.about(o.name) : error;
    }
  }
  return input;
}

const describe = (o: OptionSpec) =>
  o.kind === "question" ? "a question number" : o.kind === "deadline" ? "a deadline" : o.positional ? o.description.toLowerCase().replace(/^(a|an|the) /, "the ") : `${o.name}:<${o.placeholder}>`;

async function resolveOne(o: OptionSpec, value: RawValue, command: Command, scope: ResolveScope): Promise<OptionValues[keyof OptionValues]> {
  const example = `write it like /${scope.root} ${command.examples[0] ?? command.name}`;
  if (o.kind === "flag" && typeof value === "boolean") return value;
  if (o.kind === "target") return target(value, scope.platform, example);
  if (o.kind === "ping") return ping(value, scope.platform);
  const text = rawText(value);
  switch (o.kind) {
    case "text":
      return boundedText(text, o.name, o.max ?? limits.questionText, example, o.label);
    case "question":
      return findQuestion(scope, text);
    case "deadline":
      return findDeadline(scope, text);
    case "neededBy":
      return neededBy(scope, text);
    case "date":
      return parseDate(cleanText(text), { now: scope.now, zone: scope.docket.timeZone, allowPast: o.allowPast ?? false });
    case "time":
      return parseTime(cleanText(text));
    case "zone":
      return parseZone(cleanText(text));
    case "days":
      return parseDays(cleanText(text));
    case "choice": {
      const choice = cleanText(text).toLowerCase();
      if (!o.choices?.includes(choice))
        throw new UserError(`${o.name}.invalid`, `"${text}" is not one of ${o.choices?.join(", ")}: ${example}`);
      return choice;
    }
    case "flag":
      return flag(o, text);
    case "tags":
      return tags(text);
  }
}

export async function findQuestion(scope: Pick<ResolveScope, "store" | "docket" | "root">, text: string): Promise<Question> {
  const match = /^\s*q?(\d{1,9})\s*$/i.exec(text);
  if (!match) throw new UserError("question.invalid", `"${cleanText(text)}" is not a question number: write Q12 or 12.`);
  const question = await scope.store.questions.get(scope.docket.id, Number(match[1]));
  if (!question) throw new UserError("question.not_found", `There is no Q${Number(match[1])} in this docket. Try /${scope.root} list to see the questions.`);
  return question;
}

export async function findDeadline(scope: Pick<ResolveScope, "store" | "docket" | "root">, text: string): Promise<Deadline> {
  const wanted = cleanText(text);
  const number = /^d?(\d{1,9})$/i.exec(wanted);
  if (number) {
    const deadline = await scope.store.deadlines.get(scope.docket.id, Number(number[1]));
    if (deadline) return deadline;
    throw new UserError("deadline.not_found", `There is no D${Number(number[1])} in this docket. Try /${scope.root} deadline list.`);
  }
  const matches = (await scope.store.deadlines.list(scope.docket.id)).filter((d) => d.title.toLowerCase().startsWith(wanted.toLowerCase()));
  const exact = matches.find((d) => d.title.toLowerCase() === wanted.toLowerCase());
  if (exact) return exact;
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw new UserError("deadline.ambiguous", `"${wanted}" could be ${matches.map((d) => `D${d.number} ${d.title}`).join(" or ")}: use its number, like D${matches[0]!.number}.`);
  throw new UserError("deadline.not_found", `No deadline's title starts with "${wanted}". Try /${scope.root} deadline list.`);
}

async function neededBy(scope: ResolveScope, text: string): Promise<NeededBy> {
  const wanted = cleanText(text);
  const isNumber = /^d\d{1,9}$/i.test(wanted);
  try {
    return { kind: "deadline", deadlineNumber: (await findDeadline(scope, wanted)).number };
  } catch (error) {
    if (isNumber || !(error instanceof UserError) || error.code === "deadline.ambiguous") throw error;
  }
  const dateOptions = { now: scope.now, zone: scope.docket.timeZone };
  // why: words written as a date that cannot be (31 Feb) get the date reader's reason, not "neither".
  if (dateFit(wanted, dateOptions) !== "no") return { kind: "date", date: parseDate(wanted, dateOptions) };
  const example = addDays(todayIn(scope.now, scope.docket.timeZone), 14);
  const shown = wanted.length > 64 ? `${wanted.slice(0, 64)}…` : wanted;
  throw new UserError("by.invalid", `"${shown}" is neither a deadline nor a date: write by:D1, by:"WCIT" (a deadline's title) or by:${example}.`);
}

function flag(o: OptionSpec, text: string): boolean {
  const value = cleanText(text).toLowerCase();
  if (["yes", "y", "true", "on", "1"].includes(value)) return true;
  if (["no", "n", "false", "off", "0"].includes(value)) return false;
  throw new UserError(`${o.name}.invalid`, `${o.name}: takes yes or no, like ${o.name}:yes.`);
}

const tagPattern = /^[\p{L}\p{N}_][\p{L}\p{M}\p{N}_\-.]*$/u;

function tags(text: string): string[] {
  const list = [...new Set(cleanText(text).split(/[\s,]+/).filter(Boolean).map((t) => t.replace(/^#/, "").toLowerCase()))];
  for (const tag of list) {
    if (!tagPattern.test(tag)) throw new UserError("tags.invalid", `"#${tag}" is not a tag: tags are letters, digits, - and _, like #membership.`);
    if (lengthOf(tag) > limits.tag) throw new UserError("tags.too_long", `The tag #${tag} is longer than ${limits.tag} characters; shorten it.`);
  }
  if (list.length > limits.tags) throw new UserError("tags.too_many", `That is ${list.length} tags; a question takes at most ${limits.tags}.`);
  return list;
}

/**
 * Whom a milestone pings: a role or user group the platform resolved, or `here` (Slack's `<!here>`
 * reaches the core as the word `@here`). One member, `@channel` and `@everyone` are refused: a
 * milestone reminds a group that chose to be reminded, never the whole workspace. Discord has no
 * `here` that a role option can carry, and its @everyone role is refused by the command.
 */
export function ping(value: RawValue, platform: Platform): Omit<Ping, "workspaceId"> {
  if (typeof value === "object") {
    if (value.kind === "role") return { kind: "role", platform, id: value.id, label: `@${value.label}` };
    throw new UserError("ping.member", `@${value.label} is one member: a milestone pings a role or user group (or here), so members choose to be reminded by joining it.`);
  }
  const typed = cleanText(rawText(value)).replace(/^@/, "").toLowerCase();
  if (typed === "here" && platform !== "discord") return { kind: "here", platform, id: "", label: "@here" };
  if (typed === "channel" || typed === "everyone" || (typed === "here" && platform === "discord"))
    throw new UserError("ping.too_wide", `Docket does not ping @${typed}${platform === "discord" ? "" : " (only a user group, or here)"}: pick a role${platform === "discord" ? "" : " or user group"} whose members asked to be reminded.`);
  throw new UserError("ping.invalid", `"${cleanText(rawText(value))}" is not a role or user group: type @ and pick one from the list${platform === "discord" ? "" : ", or write ping:here"}.`);
}

/**
 * A member or role the platform resolved (a mention). Typed text that only looks like a name is
 * refused: a name is no id, and storing it would make an admin entry that matches no one.
 */
export function target(value: RawValue, platform: Platform, example: string): AdminTarget {
  if (typeof value === "object") return { kind: value.kind, platform, id: value.id, label: `@${value.label}` };
  const typed = cleanText(rawText(value));
  throw new UserError(
    "target.invalid",
    `"${typed}" is not a mention: type @ and pick the member or role from the list, so the platform says who it is. ${example[0]!.toUpperCase()}${example.slice(1)}.`,
  );
}
