/**
 * Time zones: reading the IANA names people type, suggesting the zone they meant, and a zone's
 * offset from UTC at an instant. Nothing here reads the server's own zone.
 */
import { IANAZone } from "luxon";
import { UserError } from "../errors.ts";
import { editDistance } from "../parse/edit-distance.ts";
import { longestTypo } from "../parse/suggest.ts";
import type { TimeZone } from "../types.ts";

export const ZONE_EXAMPLE = "Write a time zone like Europe/London, America/New_York or UTC.";

// why: ICU (and so Intl in Node 20) still lists some zones under their old CLDR names; people
// type, and the IANA database now uses, the modern ones.
const MODERN_ZONE_NAMES: Readonly<Record<string, string>> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Mendoza": "America/Argentina/Mendoza",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

const modernZoneName = (name: string): string => MODERN_ZONE_NAMES[name] ?? name;

let zoneIndex: Map<string, TimeZone> | undefined;

/** Lower-cased name (listed or old CLDR spelling) → the spelling we store. Built once, lazily. */
function knownZones(): Map<string, TimeZone> {
  if (!zoneIndex) {
    zoneIndex = new Map();
    for (const name of [...Intl.supportedValuesOf("timeZone"), "UTC"]) {
      zoneIndex.set(name.toLowerCase(), modernZoneName(name));
    }
    for (const modern of Object.values(MODERN_ZONE_NAMES)) zoneIndex.set(modern.toLowerCase(), modern);
  }
  return zoneIndex;
}

/** What Intl calls a zone it accepts (it knows old links like US/Pacific), or null. */
function intlZoneName(input: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(input) || !IANAZone.isValidZone(input)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: input }).resolvedOptions().timeZone;
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** The proper spelling of a zone name, or undefined when it names no zone Docket accepts (for validation at the edges). */
export function canonicalZone(input: string): TimeZone | undefined {
  try {
    return parseZone(input);
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

/**
 * An IANA zone name typed by a person, in any case, as the zone's proper spelling
 * (`europe/london` → `Europe/London`, `etc/utc` → `UTC`). Old links resolve to their zone
 * (`US/Pacific` → `America/Los_Angeles`). Throws UserError `zone.invalid` with the closest real
 * zone, if one is close.
 */
export function parseZone(input: string): TimeZone {
  const trimmed = input.trim();
  const known = knownZones().get(trimmed.toLowerCase());
  if (known) return known;
  const viaIntl = intlZoneName(trimmed);
  // why: ICU also accepts abbreviations and country names (BST is Asia/Dhaka to it, EST a zone
  // without DST); only region/city names, and the names of UTC itself, are safe to take.
  if (viaIntl === "UTC") return "UTC";
  if (viaIntl && trimmed.includes("/")) return modernZoneName(viaIntl);
  const abbreviation = new UserError(
    "zone.invalid",
    `"${trimmed}" looks like an abbreviation, and those can mean more than one zone. ${ZONE_EXAMPLE}`,
  );
  if (/^[A-Z]{2,5}$/.test(trimmed)) throw abbreviation;
  const suggestion = closestZone(trimmed);
  if (suggestion) {
    throw new UserError(
      "zone.invalid",
      `"${trimmed}" is not a time zone I know: did you mean ${suggestion}? ${ZONE_EXAMPLE}`,
    );
  }
  if (/^[a-z]{2,5}$/i.test(trimmed)) throw abbreviation;
  const shown = trimmed.length > longestTypo ? `${trimmed.slice(0, longestTypo)}…` : trimmed;
  throw new UserError("zone.invalid", `"${shown}" is not a time zone I know. ${ZONE_EXAMPLE}`);
}

function closestZone(input: string): TimeZone | null {
  // why: no zone name is near a word this long, and comparing it against ~600 zones is work a
  // member could make Docket do over and over.
  if (input.length > longestTypo) return null;
  const typed = input.toLowerCase().replace(/\s+/g, "_");
  // why: a near-miss of a very short input (Rome → Nome) is more likely wrong than helpful.
  if (typed.length < 4) return null;
  const threshold = Math.max(1, Math.floor(typed.length / 4));
  let best: { zone: TimeZone; distance: number } | null = null;
  for (const [lower, zone] of knownZones()) {
    const city = lower.slice(lower.lastIndexOf("/") + 1);
    const limit = best ? Math.min(threshold, best.distance - 1) : threshold;
    if (limit < 0) break;
    const distance = Math.min(editDistance(typed, lower, limit), editDistance(typed, city, limit));
    if (distance <= limit) best = { zone, distance };
  }
  return best?.zone ?? null;
}

const offsetFormats = new Map<TimeZone, Intl.DateTimeFormat>();

/**
 * The zone's offset from UTC at an instant, in milliseconds (east positive).
 * why not luxon's `IANAZone.offset`: it goes through `formatToParts`, about four times slower
 * than reading Intl's `longOffset`, and the scheduler asks this several times on every tick.
 */
export function offsetAt(zone: TimeZone, ms: number): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    // A stored zone that is not valid is a bug, not something the user can fix here.
    if (!IANAZone.isValidZone(zone)) throw new Error(`Unknown time zone ${JSON.stringify(zone)}`);
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    offsetFormats.set(zone, format);
  }
  const text = format.format(ms);
  const match = /GMT(?:([-+\u2212])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!match) throw new Error(`Unexpected offset ${JSON.stringify(text)} for ${zone}`);
  if (match[1] === undefined) return 0;
  const size = (Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0)) * 1000;
  return match[1] === "+" ? size : -size;
}

const dayMs = 86_400_000;
const steadyDays = new Map<string, number>();

/**
 * `offsetAt` for reading wall clocks (what day and time it is somewhere), kept per zone and UTC day
 * when the offset is the same at the day's first and last millisecond. why: a list reads the local
 * day of every question's instant, and Intl costs about 10 µs a call; the offset holds all day
 * unless the clocks change that day (then it is asked every time), and no zone changes its clocks
 * twice within one day. Computing instants from wall clocks (localInstant) asks `offsetAt` itself.
 */
export function steadyOffsetAt(zone: TimeZone, ms: number): number {
  const day = Math.floor(ms / dayMs);
  const key = `${zone} ${day}`;
  const kept = steadyDays.get(key);
  if (kept !== undefined) return kept;
  const start = offsetAt(zone, day * dayMs);
  if (offsetAt(zone, day * dayMs + dayMs - 1) !== start) return offsetAt(zone, ms);
  if (steadyDays.size >= 20_000) steadyDays.clear();
  steadyDays.set(key, start);
  return start;
}
