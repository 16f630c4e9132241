/** Reading a time of day as people type it. */
import { UserError } from "../errors.ts";
import type { LocalTime } from "../types.ts";
import { pad2 } from "./calendar.ts";

const TIME_EXAMPLES = "Write a time like 09:00, 21:30, 9am or 9:30pm.";

/** `9:00`, `21:30`, `9am`, `9:30 pm`, `9.30pm`, `noon`, `midnight` (00:00) as `HH:MM`. Throws UserError `time.invalid`. */
export function parseTime(input: string): LocalTime {
  const quoted = `"${input.trim()}"`;
  const text = input.trim().toLowerCase().replace(/\s+/g, " ").replace(/([ap])\.?m\.?$/, "$1m");
  const invalid = (problem: string): UserError =>
    new UserError("time.invalid", `${quoted} is not a time${problem ? `: ${problem}` : " I understand"}. ${TIME_EXAMPLES}`);

  if (text === "noon" || text === "midday") return "12:00";
  if (text === "midnight") return "00:00";
  const match = /^(\d{1,2})(?:[:.](\d{2}))? ?(am|pm)?$/.exec(text);
  if (!match || (match[2] === undefined && match[3] === undefined)) throw invalid("");
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? "0");
  const half = match[3];
  if (minute > 59) throw invalid(`there is no minute ${minute}`);
  if (half) {
    if (hour < 1 || hour > 12) throw invalid(`${hour}${half} is not an hour on a 12-hour clock`);
    hour = (hour % 12) + (half === "pm" ? 12 : 0);
  } else if (hour > 23) {
    throw invalid(`there is no hour ${hour}`);
  }
  return `${pad2(hour)}:${pad2(minute)}`;
}
