import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCredentialReport } from '../../src/adapters/credential-report/csv';
import type { RemediationSummary } from '../../src/domain/remediation/summary';
import { buildScanReport, summarize, type ScanReport } from '../../src/domain/report/scan-report';
import { evaluateUsers } from '../../src/domain/verdict/evaluate';
import { changesSince } from '../../src/domain/visual-report/changes';
import { staleCredentialsOf, trendPointOf, type TrendPoint } from '../../src/domain/visual-report/history';
import type { VisualReportInput } from '../../src/domain/visual-report/page';
import {
  addSummaries,
  type OrganizationAccountEntry,
  type OrganizationReport,
} from '../../src/domain/organization/organization-report';
import { organizationView, type ReportView } from '../../src/domain/visual-report/report-view';
import { credentialReportCsv, type FakeUser } from './fake-iam-server';
import { generateUsers } from './generate-users';

/**
 * Visual report inputs as a run would build them, for the browser tier, the size budget and the
 * bench: real reports (a credential report CSV parsed and judged by the real code), a previous
 * run a week earlier, a history of earlier runs and a dry-run remediation summary.
 */

const DAY_MS = 86_400_000;
export const ACCOUNT_ID = '123456789012';
export const SAMPLE_NOW = new Date('2026-11-28T00:00:00Z');
const SAMPLE_CSV = path.resolve(__dirname, '..', '..', 'examples', 'credential-report.csv');

/** A report of a credential report CSV, judged at `now` against 90 days, as `stale-iam scan --credential-report` does. */
export function reportOfCsv(csv: string, now: Date, thresholdDays = 90): ScanReport {
  const parsed = parseCredentialReport(csv);
  return buildScanReport(evaluateUsers(parsed.users, { thresholdDays, now, scope: 'all' }), {
    generatedAt: now,
    evaluatedAt: now,
    thresholdDays,
    credentialScope: 'all',
    source: 'file',
    accountId: parsed.accountId ?? ACCOUNT_ID,
    credentialReportGeneratedAt: null,
  });
}

/** `count` generated users (tools/fakes/generate-users.ts) as a credential report CSV. */
export function generatedCsv(count: number, now: Date, seed = 42): string {
  const arnOf = (u: FakeUser) => `arn:aws:iam::${ACCOUNT_ID}:user${u.path ?? '/'}${u.name}`;
  return credentialReportCsv(ACCOUNT_ID, generateUsers(count, now, 90, seed), arnOf);
}

export function sampleCsv(): string {
  return readFileSync(SAMPLE_CSV, 'utf8');
}

/**
 * The page's input for `csv` judged at `now`: the previous run is the same CSV judged a week
 * earlier (so credentials that crossed the threshold this week are "newly stale"), the history
 * has `runs - 1` earlier weekly runs with a plausible wave of stale users, and the disable step
 * ran as a dry run over the stale passwords.
 */
export function visualReportInputOf(csv: string, now: Date, runs = 12): VisualReportInput {
  const report = reportOfCsv(csv, now);
  const previous = reportOfCsv(csv, new Date(now.getTime() - 7 * DAY_MS));
  const remediation = dryRunOver(report);
  const current = trendPointOf({ ...report, staleCredentials: staleCredentialsOf(report) });
  const trend: TrendPoint[] = [];
  for (let i = runs - 1; i >= 1; i--) {
    const wave = Math.round(Math.sin(i / 2) * 0.2 * current.stale);
    const stale = Math.max(0, current.stale + wave - i);
    trend.push({
      evaluatedAt: new Date(now.getTime() - i * 7 * DAY_MS),
      stale,
      staleCredentials: Math.round((stale * current.staleCredentials) / Math.max(1, current.stale)),
      partial: i === 4,
    });
  }
  trend.push(current);
  return {
    report,
    trend,
    changes: changesSince(previous, report, remediation),
    previousProblem: null,
    ignoredHistory: [],
    location: {
      bucket: 'stale-iam-prod-reportbucket-1a2b3c4d5e6f',
      key: `reports/${ACCOUNT_ID}/2026/11/28/scan-2026-11-28T000000Z.json`,
      csvKey: `reports/${ACCOUNT_ID}/2026/11/28/scan-2026-11-28T000000Z.csv`,
    },
  };
}

/** What a dry run would do to the stale passwords of `report` (at most 100 itemised, as the real summary). */
export function dryRunOver(report: ReportView): RemediationSummary {
  const stalePasswords = report.users.flatMap((u) =>
    u.status === 'stale' && u.credentials.some((c) => c.type === 'password' && c.stale) ? [u.userName] : [],
  );
  const items = stalePasswords.map((userName) => ({
    userName,
    credential: { type: 'password' as const, accessKeyId: null, slot: null },
    outcome: 'would-delete' as const,
    reason: null,
  }));
  return {
    mode: 'dry-run',
    deactivateAccessKeys: false,
    belowFloor: null,
    auditKey: `audit/${ACCOUNT_ID}/2026/11/28/disable-2026-11-28T000000Z.jsonl`,
    blocked: null,
    counts: items.length > 0 ? { 'would-delete': items.length } : {},
    items: items.slice(0, 100),
    itemsOmitted: Math.max(0, items.length - 100),
  };
}

/**
 * The organisation report the roll-up would store for `report`'s users spread over two member
 * accounts (each scanned completely, its own report unstored); a third could not be scanned.
 */
export function asStoredOrganisation(report: ScanReport): OrganizationReport {
  const ids = ['111111111111', '222222222222'];
  const users = report.users.map((u, i) => ({ ...u, accountId: ids[i % 2] ?? '' }));
  const scanned = (accountId: string, name: string): OrganizationAccountEntry => {
    const summary = summarize(users.filter((u) => u.accountId === accountId));
    return {
      accountId,
      name,
      status: summary.errors > 0 ? 'partial' : 'complete',
      summary,
      report: null,
      credentialReportGeneratedAt: null,
    };
  };
  const accounts: OrganizationAccountEntry[] = [
    scanned('111111111111', 'production'),
    scanned('222222222222', 'staging <eu> & "tests"'),
    {
      accountId: '333333333333',
      name: 'sandbox',
      status: 'failed',
      error: 'AccessDenied: not authorized to perform sts:AssumeRole',
      errorKind: 'role-unavailable',
      summary: null,
      report: null,
      credentialReportGeneratedAt: null,
    },
  ];
  return {
    ...report,
    accountId: null,
    credentialReportGeneratedAt: null,
    partial: true,
    summary: addSummaries(accounts.map((a) => a.summary)),
    users,
    accounts,
    skippedAccounts: [],
  };
}

/** The same organisation as the page shows it (organizationView). */
export function asOrganisation(report: ScanReport): ReportView {
  const stored = asStoredOrganisation(report);
  return organizationView(stored, stored.users);
}
