import type { ActionRecord } from './execute';
import type { ActionOutcome, PlanBlock, RemediationMode } from './plan';

/** How many records the summary carries inline; the audit object in S3 always has all of them. */
export const MAX_SUMMARY_ITEMS = 100;

/** What the disable step hands to notify: small, whatever the account's size. */
export interface RemediationSummary {
  mode: RemediationMode;
  deactivateAccessKeys: boolean;
  auditKey: string;
  blocked: PlanBlock | null;
  counts: Partial<Record<ActionOutcome, number>>;
  items: {
    userName: string;
    credential: ActionRecord['credential'];
    outcome: ActionOutcome;
    reason: string | null;
  }[];
  itemsOmitted: number;
}

export function summarizeRecords(
  records: readonly ActionRecord[],
  meta: Pick<RemediationSummary, 'mode' | 'deactivateAccessKeys' | 'auditKey' | 'blocked'>,
): RemediationSummary {
  const counts: Partial<Record<ActionOutcome, number>> = {};
  for (const r of records) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  // What an operator must see first: what was done or failed, then what would be, then the skips.
  const order: ActionOutcome[] = [
    'failed',
    'deleted',
    'deactivated',
    'would-delete',
    'would-deactivate',
    'skipped-used-since',
    'already-gone',
    'exempt',
    'skipped-cap',
    'skipped-scan-error',
  ];
  const sorted = [...records].sort((a, b) => order.indexOf(a.outcome) - order.indexOf(b.outcome));
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
