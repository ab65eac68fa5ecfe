import type { ActionRecord } from './execute';
import type { ActionOutcome, PlanBlock, RemediationMode, RemediationPlan } from './plan';

/** How many records the summary carries inline; the audit object in S3 always has all of them. */
export const MAX_SUMMARY_ITEMS = 100;

/** What the disable step hands to notify: small, whatever the account's size, and free of words. */
export interface RemediationSummary {
  mode: RemediationMode;
  deactivateAccessKeys: boolean;
  /** The run's record of every credential it considered (JSON lines). */
  auditKey: string;
  blocked: PlanBlock | null;
  /** A dry run under the floor: what it shows, an enforcing run would not do. */
  belowFloor: RemediationPlan['belowFloor'];
  /** Credentials, by outcome. */
  counts: Partial<Record<ActionOutcome, number>>;
  items: {
    userName: string;
    credential: ActionRecord['credential'];
    outcome: ActionOutcome;
    reason: ActionRecord['reason'];
  }[];
  itemsOmitted: number;
}

/** What an operator must see first: what was done, failed or is unknown, then what would be, then the skips. */
export const OUTCOME_ORDER: readonly ActionOutcome[] = [
  'failed',
  'outcome-unknown',
  'deleted',
  'deactivated',
  'would-delete',
  'would-deactivate',
  'not-reached',
  'skipped-used-since',
  'already-gone',
  'exempt',
  'skipped-cap',
  'skipped-floor',
  'skipped-scan-error',
];

export function summarizeRecords(
  records: readonly ActionRecord[],
  meta: Pick<RemediationSummary, 'mode' | 'deactivateAccessKeys' | 'auditKey' | 'blocked' | 'belowFloor'>,
): RemediationSummary {
  const counts: Partial<Record<ActionOutcome, number>> = {};
  for (const r of records) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  const sorted = [...records].sort(
    (a, b) => OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome),
  );
  return {
    ...meta,
    counts,
    items: sorted.slice(0, MAX_SUMMARY_ITEMS).map((r) => ({
      userName: r.userName,
      credential: r.credential,
      outcome: r.outcome,
      reason: r.reason,
    })),
    itemsOmitted: Math.max(0, records.length - MAX_SUMMARY_ITEMS),
  };
}
