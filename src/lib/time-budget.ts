/** Never keep less than this back, however short the run. */
const MIN_RESERVE_MS = 10_000;
/** Share of the run's time kept back for what follows the reads: exemptions, evaluating, saving. */
const RESERVE_SHARE = 0.15;

/**
 * A `shouldStop` for a run with a deadline (a Lambda invocation): true once the time left falls
 * below a reserve fixed at the start, so the work in flight can finish and the report still gets
 * written. With 900 s the reserve is 135 s, enough for a user's reads to run out their retries.
 * The time left is read from the caller (Lambda's `getRemainingTimeInMillis`), never from a clock here.
 */
export function stopBeforeDeadline(remainingMs: () => number): () => boolean {
  const reserveMs = Math.max(MIN_RESERVE_MS, remainingMs() * RESERVE_SHARE);
  return () => remainingMs() < reserveMs;
}
