import type { ReportLocation } from '../../contracts/report-location';
import type { ScanReport } from '../report/scan-report';
import { productArnOf, type AsffFinding, type FindingsIdentity } from './asff';
import { planFindings } from './plan';

/**
 * The use case the findings function runs, and an organisation run can run in each member account:
 * read our active findings, plan, import the new and updated findings and the resolutions in one
 * stream, and say what happened. A partial scan imports nothing: a user it could not read would
 * have its findings resolved as if it were gone.
 */

/** A finding Security Hub refused, after the store's own retries. */
export interface FailedFinding {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/**
 * A finding of our product and generator that does not read as one stale-iam wrote. It is never
 * resolved (we cannot send it back as it was); if its credential is still stale, the fresh finding
 * of that credential replaces it.
 */
export interface UnreadableFinding {
  readonly id: string;
  readonly problem: string;
}

export interface ActiveFindings {
  readonly findings: AsffFinding[];
  readonly unreadable: readonly UnreadableFinding[];
}

/** The port onto Security Hub (src/adapters/securityhub). */
export interface FindingsStore {
  /**
   * The findings of our product and generator that Security Hub holds as ACTIVE, as far as the
   * store can filter; the use case filters again.
   */
  listActive(): Promise<ActiveFindings>;
  /** Imports all of them (batched, paced, retried); returns those still refused. */
  import(findings: readonly AsffFinding[]): Promise<FailedFinding[]>;
}

/** At most this many failures travel in the outcome (the logs have them all). */
export const MAX_FAILURES_LISTED = 20;

export type FindingsOutcome =
  | {
      readonly status: 'skipped';
      readonly reason: 'partial-scan';
      readonly productArn: string;
    }
  | {
      readonly status: 'imported';
      readonly productArn: string;
      /** New findings accepted. */
      readonly created: number;
      /** Existing findings updated (CreatedAt kept). */
      readonly updated: number;
      /** Findings archived as PASSED. */
      readonly resolved: number;
      /** Findings Security Hub still refused after the retries. */
      readonly failed: number;
      /** The first MAX_FAILURES_LISTED of them. */
      readonly failures: readonly FailedFinding[];
      /** Findings of our product in Security Hub that did not read as ours (never resolved). */
      readonly unreadable: number;
    };

export interface SyncOptions {
  readonly store: FindingsStore;
  readonly identity: FindingsIdentity;
  readonly now: Date;
  readonly location?: ReportLocation;
}

export async function syncFindings(report: ScanReport, options: SyncOptions): Promise<FindingsOutcome> {
  const productArn = productArnOf(options.identity);
  if (report.partial) return { status: 'skipped', reason: 'partial-scan', productArn };

  const context = { identity: options.identity, now: options.now, location: options.location };
  const active = await options.store.listActive();
  const plan = planFindings(report, active.findings, context);
  const resolutions = plan.resolved.map((r) => r.finding);
  const failures = await options.store.import([...plan.created, ...plan.updated, ...resolutions]);

  const failed = new Set(failures.map((f) => f.id));
  const accepted = (findings: readonly AsffFinding[]) => findings.filter((f) => !failed.has(f.Id)).length;
  return {
    status: 'imported',
    productArn,
    created: accepted(plan.created),
    updated: accepted(plan.updated),
    resolved: accepted(resolutions),
    failed: failures.length,
    failures: failures.slice(0, MAX_FAILURES_LISTED),
    unreadable: active.unreadable.length,
  };
}
