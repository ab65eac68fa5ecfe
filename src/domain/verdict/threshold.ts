/**
 * The one staleness rule's arithmetic: a credential whose reference instant (its last use, or its
 * creation when never used) is strictly earlier than `now - thresholdDays x 86,400 s` is stale.
 * The scan, the disable step's live re-check and the "will lose access on" warnings all use it.
 */

export const DAY_MS = 86_400_000;

/** The threshold instant T: a credential whose reference is strictly earlier than T is stale. */
export function thresholdInstant(settings: { readonly thresholdDays: number; readonly now: Date }): Date {
  return new Date(settings.now.getTime() - settings.thresholdDays * DAY_MS);
}

/**
 * The instant a credential with this reference crosses the threshold, `reference + thresholdDays`
 * days: at that instant it is not stale yet, at any later one it is.
 */
export function staleAt(reference: Date, thresholdDays: number): Date {
  return new Date(reference.getTime() + thresholdDays * DAY_MS);
}

/** Whether a credential with this reference is stale at `now`. */
export function isStale(
  reference: Date,
  settings: { readonly thresholdDays: number; readonly now: Date },
): boolean {
  return reference.getTime() < thresholdInstant(settings).getTime();
}

/**
 * Whole days between `reference` and `now`. A reference after `now` (evaluating as of an earlier
 * instant, or clock skew) counts as zero days rather than a negative age.
 */
export function idleDaysSince(reference: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - reference.getTime()) / DAY_MS));
}
