import type { CredentialScope } from '../verdict/evaluate';
import type { ActionOutcome, RemediationMode } from '../remediation/plan';
import type { RemediationSummary } from '../remediation/summary';
import type { ReportSummary } from '../report/scan-report';
import type { ReportView } from './report-view';

/**
 * The history behind the "stale users per run" chart: one small entry per run (its counts and
 * where its report is, never a copy of the report), one S3 object each, under
 * `history/<account>/`. See docs/visual-report.md for the format and why it is safe against
 * concurrent and repeated runs.
 */

export const HISTORY_SCHEMA_VERSION = 1;

/** Runs on the trend chart: this one and up to 29 before it. */
export const TREND_RUNS = 30;

export interface RunRemediation {
  mode: RemediationMode;
  /** Credentials removed or deactivated (enforce), or that would have been (dry-run). */
  disabled: number;
  failed: number;
  /** The plan was refused whole (cap, or scan errors): nothing was done. */
  blocked: boolean;
}

export interface HistoryEntry {
  schemaVersion: typeof HISTORY_SCHEMA_VERSION;
  /** The run's JSON report: `reports/<account>/<yyyy>/<mm>/<dd>/scan-<stamp>.json`. */
  reportKey: string;
  evaluatedAt: Date;
  accountId: string | null;
  thresholdDays: number;
  credentialScope: CredentialScope;
  partial: boolean;
  summary: ReportSummary;
  /** Stale credentials of all users (a stale user has at least one; an active user may too). */
  staleCredentials: number;
  /** What the disable step did in this run; null when it did not run. */
  remediation: RunRemediation | null;
}

/** The history entry of a run, from its report (stored at `reportKey`) and the disable step's summary. */
export function historyEntryOf(
  report: ReportView,
  reportKey: string,
  remediation: RemediationSummary | undefined,
): HistoryEntry {
  return {
    schemaVersion: HISTORY_SCHEMA_VERSION,
    reportKey,
    evaluatedAt: report.evaluatedAt,
    accountId: report.accountId,
    thresholdDays: report.thresholdDays,
    credentialScope: report.credentialScope,
    partial: report.partial,
    summary: report.summary,
    staleCredentials: staleCredentialsOf(report),
    remediation: remediation ? runRemediation(remediation) : null,
  };
}

/** Stale credentials of all users of a report. */
export function staleCredentialsOf(report: Pick<ReportView, 'users'>): number {
  return report.users.reduce((n, u) => n + u.credentials.filter((c) => c.stale).length, 0);
}

/** The outcomes that took a credential away: done when enforcing, "would" in a dry run. */
export const DISABLING_OUTCOMES: Record<RemediationMode, readonly ActionOutcome[]> = {
  enforce: ['deleted', 'deactivated'],
  'dry-run': ['would-delete', 'would-deactivate'],
};

function runRemediation(summary: RemediationSummary): RunRemediation {
  const count = (outcomes: readonly ActionOutcome[]) =>
    outcomes.reduce((n, o) => n + (summary.counts[o] ?? 0), 0);
  return {
    mode: summary.mode,
    disabled: count(DISABLING_OUTCOMES[summary.mode]),
    failed: count(['failed']),
    blocked: summary.blocked !== null,
  };
}

/** One point of the trend: a run, oldest first. */
export interface TrendPoint {
  evaluatedAt: Date;
  stale: number;
  staleCredentials: number;
  partial: boolean;
}

/** A run as a point of the trend. */
export function trendPointOf(
  run: Pick<HistoryEntry, 'evaluatedAt' | 'summary' | 'staleCredentials' | 'partial'>,
): TrendPoint {
  return {
    evaluatedAt: run.evaluatedAt,
    stale: run.summary.stale,
    staleCredentials: run.staleCredentials,
    partial: run.partial,
  };
}

/**
 * The trend, oldest first: the runs before this one (in any order; a later run or a second copy
 * of one is dropped) and this run, at most TREND_RUNS of them, the latest kept.
 */
export function trendOf(earlier: readonly HistoryEntry[], current: TrendPoint): TrendPoint[] {
  const byRun = new Map<number, TrendPoint>();
  for (const entry of earlier) {
    const at = entry.evaluatedAt.getTime();
    if (at < current.evaluatedAt.getTime()) byRun.set(at, trendPointOf(entry));
  }
  byRun.set(current.evaluatedAt.getTime(), current);
  return [...byRun.values()]
    .sort((a, b) => a.evaluatedAt.getTime() - b.evaluatedAt.getTime())
    .slice(-TREND_RUNS);
}
