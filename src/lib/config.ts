import { SETTINGS } from '../settings/table';
import { boolean, choice, instant, wholeNumber } from '../settings/parsers';

/**
 * The settings table's parsers with the argument order the TypeScript code uses (`what` first),
 * for CLI flags and values that are not deploy parameters. Deploy parameters and the functions'
 * environment go through `src/settings/table.js` directly.
 */

const THRESHOLD = SETTINGS.thresholdDays;
const THRESHOLD_RANGE = THRESHOLD.range ?? { min: 1, max: 1 };

export const MIN_THRESHOLD_DAYS = THRESHOLD_RANGE.min;
export const MAX_THRESHOLD_DAYS = THRESHOLD_RANGE.max;
export const DEFAULT_THRESHOLD_DAYS = THRESHOLD.parse(THRESHOLD.default, 'the default threshold');

/**
 * The day threshold, from a flag or an SSM parameter (middy hands it over as a string). Only a
 * plain whole number is accepted: `90`, not `90.0`, `9e1`, ` 90 ` or `0x5a`.
 */
export function parseThresholdDays(raw: unknown, what = 'threshold days'): number {
  return THRESHOLD.parse(raw, what);
}

/** One of a fixed set of words, e.g. `--format table|json|csv`. */
export function parseChoice<T extends string>(what: string, raw: unknown, choices: readonly T[]): T {
  return choice(choices)(raw, what);
}

/** `true`/`false` (any case) from an environment variable or SSM parameter. */
export function parseBoolean(what: string, raw: unknown): boolean {
  return boolean(raw, what);
}

/** A whole number in a range, e.g. a concurrency limit or a cap. */
export function parseWholeNumber(what: string, raw: unknown, min: number, max: number): number {
  return wholeNumber(min, max)(raw, what);
}

/**
 * An ISO-8601 instant with an explicit zone (`2026-11-28T09:00:00Z`, `...+09:00`) or a plain date
 * (`2026-11-28`, taken as midnight UTC). A zone-less time is refused: it would silently mean the
 * machine's local time.
 */
export function parseInstant(what: string, raw: unknown): Date {
  return instant(raw, what);
}
