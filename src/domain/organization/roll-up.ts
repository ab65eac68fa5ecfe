import type { ScanReport } from '../report/scan-report';
import type { AccountRef, SkippedAccount } from './accounts';
import { accountFailure, type AccountScanOutcome } from './account-outcome';
import type {
  OrganizationReportHead,
  OrganizationReportWriter,
  OrganizationSummary,
} from './organization-report';

export type ScannedOutcome = Extract<AccountScanOutcome, { status: 'complete' | 'partial' }>;

export interface RollUpInput {
  /** What every account report of the run must agree on. */
  readonly head: OrganizationReportHead;
  /** The accounts the run set out to scan (the map's items), in report order. */
  readonly selected: readonly AccountRef[];
  readonly skipped: readonly SkippedAccount[];
  /** What the map run returned, by account id. */
  readonly outcomes: ReadonlyMap<string, AccountScanOutcome>;
}

export interface RollUpPorts {
  /** The account's report, validated whole; throws with a one-line reason when it cannot. */
  readonly readReport: (outcome: ScannedOutcome) => Promise<ScanReport>;
  readonly writer: OrganizationReportWriter;
}

/**
 * The organisation report from the accounts' own reports, one account at a time. Every account the
 * run set out to scan appears exactly once: scanned, or failed with its reason, including an
 * account the map returned nothing for. A scanned account counts only once its own report is read
 * back and agrees with the run (the right account, the same instant, threshold and source); the
 * map's word for it is not enough.
 */
export async function rollUpOrganization(
  input: RollUpInput,
  ports: RollUpPorts,
): Promise<OrganizationSummary> {
  const { writer } = ports;
  await writer.begin();
  for (const account of input.selected) {
    const outcome = input.outcomes.get(account.accountId);
    if (!outcome) {
      writer.addFailure(
        account,
        accountFailure('no-result', 'the map run returned no result for this account: it was not scanned'),
      );
      continue;
    }
    if (outcome.status === 'failed') {
      writer.addFailure(account, outcome.error);
      continue;
    }
    let report: ScanReport;
    try {
      report = await ports.readReport(outcome);
    } catch (error) {
      writer.addFailure(account, accountFailure('report-unreadable', messageOf(error)));
      continue;
    }
    const disagreement = disagreementWithRun(report, account, input.head);
    if (disagreement) {
      writer.addFailure(account, accountFailure('report-unreadable', disagreement));
      continue;
    }
    await writer.addReport(account, report, outcome.report, outcome.findings);
  }
  return writer.end(input.skipped);
}

/** Why an account's report cannot stand in this run's organisation report, or null. */
function disagreementWithRun(
  report: ScanReport,
  account: AccountRef,
  head: OrganizationReportHead,
): string | null {
  const key = `the report of account ${account.accountId}`;
  if (report.accountId !== account.accountId) return `${key} names account ${report.accountId ?? 'none'}`;
  if (report.evaluatedAt.getTime() !== head.evaluatedAt.getTime()) {
    return `${key} was evaluated at ${report.evaluatedAt.toISOString()}, not at this run's ${head.evaluatedAt.toISOString()}`;
  }
  if (report.thresholdDays !== head.thresholdDays) {
    return `${key} used a threshold of ${report.thresholdDays} days, not this run's ${head.thresholdDays}`;
  }
  if (report.source !== head.source || report.credentialScope !== head.credentialScope) {
    return `${key} was read from ${report.source} (${report.credentialScope}), not ${head.source} (${head.credentialScope})`;
  }
  return null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
