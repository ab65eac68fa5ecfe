import type { ReportLocation } from '../../src/contracts/report-location';
import type { AccountRef } from '../../src/domain/organization/accounts';
import type { AccountFindings, AccountScanOutcome } from '../../src/domain/organization/account-outcome';
import type { OrganizationReportHead, TextSink } from '../../src/domain/organization/organization-report';
import { reportKeys } from '../../src/domain/report/object-keys';
import type { ScanReport, UserEntry } from '../../src/domain/report/scan-report';
import { EVALUATED_AT, THRESHOLD_DAYS, buildReport } from './report-builder';

/**
 * Organisation runs as plain data: accounts, their reports (report-builder's, re-homed to the
 * account), the map's outcomes, and a text sink that keeps what was written.
 */

export const BUCKET = 'reports-bucket';
export const RUN_NAME = '5e0b4c1a-8f7e-4c4d-9a41-2b1f0c9d7e21';

export const HEAD: OrganizationReportHead = {
  generatedAt: new Date('2026-11-28T00:09:30.000Z'),
  evaluatedAt: new Date(EVALUATED_AT),
  thresholdDays: THRESHOLD_DAYS,
  credentialScope: 'all',
  source: 'credential-report',
};

export function account(accountId: string, name = `account-${accountId.slice(-4)}`): AccountRef {
  return { accountId, name };
}

/** A report of `users` in `accountId`: their ARNs name the account. */
export function accountReport(
  accountId: string,
  users: readonly UserEntry[],
  overrides: Partial<ScanReport> = {},
): ScanReport {
  const homed = users.map((u) => ({ ...u, arn: u.arn.replace(/::\d{12}:/, `::${accountId}:`) }));
  return buildReport(homed, { accountId, ...overrides });
}

export function locationOf(report: Pick<ScanReport, 'accountId' | 'evaluatedAt'>): ReportLocation {
  return { bucket: BUCKET, ...reportKeys(report) };
}

export function scanned(
  ref: AccountRef,
  report: ScanReport,
  findings?: AccountFindings,
): Extract<AccountScanOutcome, { status: 'complete' | 'partial' }> {
  return {
    status: report.partial ? 'partial' : 'complete',
    account: ref,
    report: locationOf(report),
    summary: report.summary,
    ...(findings ? { findings } : {}),
  };
}

/** Collects what a writer writes, in the order it writes it. */
export class MemorySink implements TextSink {
  readonly chunks: string[] = [];

  async write(text: string): Promise<void> {
    this.chunks.push(text);
  }

  get text(): string {
    return this.chunks.join('');
  }
}
