/** Never keep less than this back, however short the run. */
const MIN_RESERVE_MS = 10_000;
/** Share of the run's time kept back for what follows the reads: exemptions, evaluating, saving. */
const RESERVE_SHARE = 0.15;
/** The hard stop keeps this much back (at least HARD_MIN_RESERVE_MS) to evaluate and save. */
const HARD_RESERVE_SHARE = 0.05;
const HARD_MIN_RESERVE_MS = 5_000;

/** Runs `callback` after `delayMs`; returns what cancels it. Injected in tests. */
export type Schedule = (callback: () => void, delayMs: number) => () => void;

const realSchedule: Schedule = (callback, delayMs) => {
  const timer = setTimeout(callback, delayMs);
  // A pending hard stop must not keep a finished process alive.
  timer.unref();
  return () => clearTimeout(timer);
};

export interface RunDeadline {
  /** True once the time left is below the reserve: start no new work. */
  readonly shouldStop: () => boolean;
  /** Aborted at the hard stop, so calls still in flight give up and the report can be written. */
  readonly abortSignal: AbortSignal;
  /** Cancels the hard stop; call when the run's work is over. */
  dispose(): void;
}

/**
 * The deadline of a run with a time limit (a Lambda invocation), in two steps. With 900 s: stop
 * starting users once less than 135 s (15%) are left, so users in flight can finish even through
 * their retries; abort whatever is still in flight when 45 s (5%) are left, which is plenty to
 * evaluate and write the report. The time left is read from the caller (Lambda's
 * `getRemainingTimeInMillis`), never from a clock here.
 */
export function runDeadline(remainingMs: () => number, schedule: Schedule = realSchedule): RunDeadline {
  const atStart = remainingMs();
  const reserveMs = Math.max(MIN_RESERVE_MS, atStart * RESERVE_SHARE);
  const hardReserveMs = Math.max(HARD_MIN_RESERVE_MS, atStart * HARD_RESERVE_SHARE);
  const controller = new AbortController();
  const cancel = schedule(
    () => controller.abort(new Error('the run is about to time out')),
    Math.max(0, atStart - hardReserveMs),
  );
  return {
    shouldStop: () => controller.signal.aborted || remainingMs() < reserveMs,
    abortSignal: controller.signal,
    dispose: cancel,
  };
}
