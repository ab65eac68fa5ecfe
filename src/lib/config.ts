import { InvalidConfigError } from './errors';
import { parseIsoInstant } from './iso-instant';

export const MIN_THRESHOLD_DAYS = 1;
export const MAX_THRESHOLD_DAYS = 3650;
export const DEFAULT_THRESHOLD_DAYS = 90;

/**
 * The day threshold, from a flag or an SSM parameter (middy hands it over as a string). Only a
 * plain whole number is accepted: `90`, not `90.0`, `9e1`, ` 90 ` or `0x5a`.
 */
export function parseThresholdDays(raw: unknown, what = 'threshold days'): number {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^\d{1,5}$/.test(text.trim()) || text.trim() !== text) {
    throw new InvalidConfigError(
      `${what} must be a whole number from ${MIN_THRESHOLD_DAYS} to ${MAX_THRESHOLD_DAYS}, got ${show(raw)}`,
    );
  }
  const days = Number(text);
  if (days < MIN_THRESHOLD_DAYS || days > MAX_THRESHOLD_DAYS) {
    throw new InvalidConfigError(
      `${what} must be a whole number from ${MIN_THRESHOLD_DAYS} to ${MAX_THRESHOLD_DAYS}, got ${show(raw)}`,
    );
  }
  return days;
}

/** One of a fixed set of words, e.g. `--format table|json|csv`. */
export function parseChoice<T extends string>(what: string, raw: unknown, choices: readonly T[]): T {
  if (typeof raw === 'string' && (choices as readonly string[]).includes(raw)) return raw as T;
  throw new InvalidConfigError(`${what} must be one of ${choices.join(', ')}, got ${show(raw)}`);
}

/** `true`/`false` (any case) from an environment variable or SSM parameter. */
export function parseBoolean(what: string, raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim()))
    return raw.trim().toLowerCase() === 'true';
  throw new InvalidConfigError(`${what} must be true or false, got ${show(raw)}`);
}

/** A whole number in a range, e.g. a concurrency limit or a cap. */
export function parseWholeNumber(what: string, raw: unknown, min: number, max: number): number {
  const text = typeof raw === 'number' ? String(raw) : raw;
  const value = typeof text === 'string' && /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidConfigError(`${what} must be a whole number from ${min} to ${max}, got ${show(raw)}`);
  }
  return value;
}

/**
 * An ISO-8601 instant with an explicit zone (`2026-11-28T09:00:00Z`, `...+09:00`) or a plain date
 * (`2026-11-28`, taken as midnight UTC). A zone-less time is refused: it would silently mean the
 * machine's local time.
 */
export function parseInstant(what: string, raw: unknown): Date {
  const date = typeof raw === 'string' ? parseIsoInstant(raw.trim()) : null;
  if (!date) {
    throw new InvalidConfigError(
      `${what} must be an ISO-8601 instant such as 2026-11-28T09:00:00Z, got ${show(raw)}`,
    );
  }
  return date;
}

function show(raw: unknown): string {
  if (raw === undefined) return 'nothing';
  if (raw === null) return 'null';
  return JSON.stringify(typeof raw === 'string' ? raw : String(raw));
}
