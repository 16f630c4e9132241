import { editDistance } from "./edit-distance.ts";

/**
 * Longest word worth a "did you mean": longer than any command, zone or month name by far.
 * why: a member can type thousands of letters; comparing them would cost time and suggest nothing.
 */
export const longestTypo = 64;

/** The candidate nearest to `word`, if it is near enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > longestTypo) return undefined;
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const name of new Set(candidates)) {
    const d = name.startsWith(word) && word.length >= 2 ? 0.5 : editDistance(word, name, limit);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= limit ? best.name : undefined;
}
