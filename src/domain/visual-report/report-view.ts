import type { OrganizationSummary } from '../organization/organization-report';
import type { ReportSummary, ScanReport, UserEntry } from '../report/scan-report';

/**
 * The report the visual report shows: a single-account scan report as it is, or an organisation
 * report, which has the same shape plus `accountId` on every user and one `accounts` entry per
 * member account (how far its scan got, and its own counts).
 */

export const ACCOUNT_SCAN_STATUSES = ['complete', 'partial', 'failed'] as const;
export type AccountScanStatus = (typeof ACCOUNT_SCAN_STATUSES)[number];

export interface AccountEntry {
  accountId: string;
  name: string;
  status: AccountScanStatus;
  error?: string;
  summary?: ReportSummary;
}

export type ViewUser = UserEntry & { accountId?: string };

export interface ReportView extends Omit<ScanReport, 'users'> {
  users: ViewUser[];
  /** Present on an organisation report only. */
  accounts?: AccountEntry[];
}

/**
 * An organisation report as the page shows it: its summary, its users (each with its account) and
 * each account's status, counts and error. The same for the roll-up's stored report (render) and the
 * CLI's organisation scan.
 */
export function organizationView(summary: OrganizationSummary, users: ViewUser[]): ReportView {
  const accounts = summary.accounts.map((a): AccountEntry => ({
    accountId: a.accountId,
    name: a.name,
    status: a.status,
    ...(a.error === undefined ? {} : { error: a.error }),
    ...(a.summary ? { summary: a.summary } : {}),
  }));
  return {
    schemaVersion: summary.schemaVersion,
    generatedAt: summary.generatedAt,
    evaluatedAt: summary.evaluatedAt,
    thresholdDays: summary.thresholdDays,
    credentialScope: summary.credentialScope,
    source: summary.source,
    accountId: null,
    credentialReportGeneratedAt: null,
    partial: summary.partial,
    summary: summary.summary,
    deletedDuringScan: summary.deletedDuringScan,
    users,
    accounts,
  };
}
