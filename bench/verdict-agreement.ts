import type { UserStatus } from '../src/domain/verdict/evaluate';

/** How a scan's verdicts compare with the ground truth, user by user. */
export interface VerdictAgreement {
  readonly users: number;
  readonly trulyStale: number;
  /** Truly stale users the scan also called stale. */
  readonly staleFound: number;
  /** Users the scan called stale that are not. */
  readonly falsePositives: number;
  /** Truly stale users the scan read but did not call stale. */
  readonly missed: number;
  /** Users the scan never returned, or returned as `error` (unreadable). */
  readonly unread: number;
  /** Users whose status (stale, active, no-credentials) is exactly the true one. */
  readonly agreeing: number;
}

export function compareVerdicts(
  truth: ReadonlyMap<string, UserStatus>,
  scanned: ReadonlyMap<string, UserStatus>,
): VerdictAgreement {
  let trulyStale = 0;
  let staleFound = 0;
  let missed = 0;
  let unread = 0;
  let agreeing = 0;
  for (const [name, trueStatus] of truth) {
    const status = scanned.get(name);
    const read = status !== undefined && status !== 'error';
    if (trueStatus === 'stale') trulyStale++;
    if (!read) unread++;
    else if (trueStatus === 'stale' && status === 'stale') staleFound++;
    else if (trueStatus === 'stale') missed++;
    if (status === trueStatus) agreeing++;
  }
  // A name the truth does not know counts as a false positive too, if the scan called it stale.
  const falsePositives = [...scanned].filter(
    ([name, status]) => status === 'stale' && truth.get(name) !== 'stale',
  ).length;
  return { users: truth.size, trulyStale, staleFound, falsePositives, missed, unread, agreeing };
}
