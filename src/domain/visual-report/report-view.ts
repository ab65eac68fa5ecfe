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
