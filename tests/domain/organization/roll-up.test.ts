import { parseOrganizationReport } from '../../../src/contracts/organization-report';
import { accountFailure, type AccountScanOutcome } from '../../../src/domain/organization/account-outcome';
import {
  ORGANIZATION_CSV_COLUMNS,
  OrganizationReportWriter,
} from '../../../src/domain/organization/organization-report';
import { rollUpOrganization, type ScannedOutcome } from '../../../src/domain/organization/roll-up';
import type { ScanReport } from '../../../src/domain/report/scan-report';
import { HEAD, MemorySink, account, accountReport, scanned } from '../../support/organization-builders';
import {
  accessKey,
  activeUser,
  errorUser,
  noCredentialsUser,
  password,
  staleUser,
} from '../../support/report-builder';

const A = account('111111111111', 'payments');
const B = account('222222222222', 'legacy, old');
const C = account('333333333333', 'sandbox');
const D = account('444444444444', 'data');

const REPORT_A = accountReport(A.accountId, [
  staleUser('ren', password(180)),
  activeUser('haruto', accessKey(1, 1), accessKey(2, 330)),
  noCredentialsUser('kaito'),
]);
const REPORT_B = accountReport(B.accountId, [
  staleUser('=cmd', password(120)),
  errorUser('locked', 'AccessDenied: no'),
]);

interface Run {
  outcomes: AccountScanOutcome[];
  reports: Map<string, ScanReport>;
  selected?: (typeof A)[];
}

async function rollUp({ outcomes, reports, selected = [A, B, C] }: Run) {
  const json = new MemorySink();
  const csv = new MemorySink();
  const reads: string[] = [];
  const summary = await rollUpOrganization(
    {
      head: HEAD,
      selected,
      skipped: [{ ...D, reason: 'not-active', state: 'SUSPENDED' }],
      outcomes: new Map(outcomes.map((o) => [o.account.accountId, o])),
    },
    {
      readReport: async (outcome: ScannedOutcome) => {
        reads.push(outcome.account.accountId);
        const report = reports.get(outcome.report.key);
        if (!report) throw new Error(`NoSuchKey: ${outcome.report.key}`);
        return report;
      },
      writer: new OrganizationReportWriter(HEAD, { json, csv }),
    },
  );
  const report = parseOrganizationReport(JSON.parse(json.text), 'the test report');
  return { summary, report, json, csv, reads };
}

const keyOf = (report: ScanReport) => scanned(account(report.accountId ?? ''), report);
const stored = (...reports: ScanReport[]) =>
  new Map(reports.map((r) => [(keyOf(r) as ScannedOutcome).report.key, r]));

describe('the organisation report, rolled up from the accounts', () => {
  it('lists every account once with its status, summary and report, and adds up the totals', async () => {
    const { report, summary } = await rollUp({
      outcomes: [
        scanned(A, REPORT_A),
        scanned(B, REPORT_B),
        {
          status: 'failed',
          account: C,
          error: accountFailure('role-unavailable', 'AccessDenied: sts:AssumeRole'),
        },
      ],
      reports: stored(REPORT_A, REPORT_B),
    });

    expect(report.accounts.map((a) => [a.accountId, a.name, a.status, a.summary?.users ?? null])).toEqual([
      ['111111111111', 'payments', 'complete', 3],
      ['222222222222', 'legacy, old', 'partial', 2],
      ['333333333333', 'sandbox', 'failed', null],
    ]);
    expect(report.accounts[2]).toMatchObject({
      errorKind: 'role-unavailable',
      error: 'AccessDenied: sts:AssumeRole',
      report: null,
    });
    expect(report.accounts[0]?.report?.key).toBe(
      'reports/111111111111/2026/11/28/scan-2026-11-28T000000Z.json',
    );
    expect(report.summary).toEqual({
      users: 5,
      stale: 2,
      active: 1,
      noCredentials: 1,
      exempt: 0,
      errors: 1,
      activeWithStaleCredentials: 1,
    });
    expect(report.partial).toBe(true);
    expect(report.skippedAccounts).toEqual([{ ...D, reason: 'not-active', state: 'SUSPENDED' }]);
    expect(summary.accounts).toEqual(report.accounts);
  });

  it("puts every user in, with its account, account by account in each report's order, and keeps the schemaVersion 1 fields", async () => {
    const { report } = await rollUp({
      outcomes: [scanned(A, REPORT_A), scanned(B, REPORT_B)],
      reports: stored(REPORT_A, REPORT_B),
      selected: [A, B],
    });

    expect(report.schemaVersion).toBe(1);
    expect(report.accountId).toBeNull();
    expect(report.evaluatedAt).toEqual(HEAD.evaluatedAt);
    expect(report.users.map((u) => `${u.accountId}/${u.userName}/${u.status}`)).toEqual([
      '111111111111/ren/stale',
      '111111111111/haruto/active',
      '111111111111/kaito/no-credentials',
      '222222222222/=cmd/stale',
      '222222222222/locked/error',
    ]);
    expect(report.users[0]?.credentials).toEqual(REPORT_A.users[0]?.credentials);
  });

  it('writes the CSV with the account first, one row per credential, formulas neutralised', async () => {
    const { csv } = await rollUp({
      outcomes: [scanned(B, REPORT_B)],
      reports: stored(REPORT_B),
      selected: [B],
    });

    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toBe(ORGANIZATION_CSV_COLUMNS.join(','));
    expect(lines[0]?.startsWith('account_id,account_name,user_name,')).toBe(true);
    expect(lines[1]).toMatch(/^222222222222,"legacy, old",'=cmd,arn:aws:iam::222222222222:user\/=cmd,stale,/);
    expect(lines[2]).toMatch(/^222222222222,"legacy, old",locked,.*,AccessDenied: no,,$/);
    expect(lines).toHaveLength(3);
  });

  it("writes each account's users before reading the next account's report", async () => {
    const json = new MemorySink();
    const seenWhenReading: number[] = [];
    await rollUpOrganization(
      {
        head: HEAD,
        selected: [A, B],
        skipped: [],
        outcomes: new Map([
          [A.accountId, scanned(A, REPORT_A)],
          [B.accountId, scanned(B, REPORT_B)],
        ]),
      },
      {
        readReport: async (outcome) => {
          seenWhenReading.push(json.text.split('"userName"').length - 1);
          return outcome.account.accountId === A.accountId ? REPORT_A : REPORT_B;
        },
        writer: new OrganizationReportWriter(HEAD, { json, csv: new MemorySink() }),
      },
    );

    expect(seenWhenReading).toEqual([0, 3]);
  });

  it('reports an account the map returned nothing for as failed, not as missing', async () => {
    const { report } = await rollUp({
      outcomes: [scanned(A, REPORT_A)],
      reports: stored(REPORT_A),
      selected: [A, C],
    });

    expect(report.accounts[1]).toMatchObject({
      accountId: C.accountId,
      status: 'failed',
      errorKind: 'no-result',
    });
  });

  it('reports a scanned account whose report cannot be read as failed, with the reason', async () => {
    const { report } = await rollUp({ outcomes: [scanned(A, REPORT_A)], reports: new Map(), selected: [A] });

    expect(report.accounts[0]).toMatchObject({ status: 'failed', errorKind: 'report-unreadable' });
    expect(report.accounts[0]?.error).toContain('NoSuchKey');
    expect(report.users).toEqual([]);
  });

  it.each<[string, Partial<ScanReport>, string]>([
    ['another account', { accountId: '999999999999' }, 'names account 999999999999'],
    [
      'another instant',
      { evaluatedAt: new Date('2026-11-27T00:00:00Z') },
      'was evaluated at 2026-11-27T00:00:00.000Z',
    ],
    ['another threshold', { thresholdDays: 30 }, 'used a threshold of 30 days, not this run'],
    ['another source', { source: 'api' }, 'was read from api (all), not credential-report (all)'],
  ])('does not let a report of %s stand for the account', async (_what, overrides, reason) => {
    const tampered = { ...REPORT_A, ...overrides };
    const outcome = scanned(A, REPORT_A) as ScannedOutcome;

    const { report } = await rollUp({
      outcomes: [outcome],
      reports: new Map([[outcome.report.key, tampered]]),
      selected: [A],
    });

    expect(report.accounts[0]).toMatchObject({ status: 'failed', errorKind: 'report-unreadable' });
    expect(report.accounts[0]?.error).toContain(reason);
    expect(report.users).toEqual([]);
  });

  it('is complete, not partial, when every account was scanned completely', async () => {
    const { report } = await rollUp({
      outcomes: [scanned(A, REPORT_A)],
      reports: stored(REPORT_A),
      selected: [A],
    });

    expect(report.partial).toBe(false);
    expect(report.accounts[0]?.status).toBe('complete');
  });

  it('writes a valid report for an organisation with no account to scan', async () => {
    const { report } = await rollUp({ outcomes: [], reports: new Map(), selected: [] });

    expect(report.accounts).toEqual([]);
    expect(report.users).toEqual([]);
    expect(report.summary.users).toBe(0);
  });

  it('names deleted-during-scan users with their account', async () => {
    const withDeleted = { ...REPORT_A, deletedDuringScan: ['gone'] };
    const outcome = scanned(A, withDeleted) as ScannedOutcome;
    const { report } = await rollUp({
      outcomes: [outcome],
      reports: new Map([[outcome.report.key, withDeleted]]),
      selected: [A],
    });

    expect(report.deletedDuringScan).toEqual(['111111111111/gone']);
  });
});

describe("each account's Security Hub findings in the organisation report", () => {
  it("keeps what importing each scanned account's findings came to, in its entry, for the email", async () => {
    const imported = {
      status: 'imported' as const,
      productArn: `arn:aws:securityhub:us-east-1:${A.accountId}:product/${A.accountId}/default`,
      created: 1,
      updated: 2,
      resolved: 3,
      failed: 0,
      failures: [],
      unreadable: 0,
    };
    const failed = { status: 'failed' as const, error: 'AwsReadError', message: 'not subscribed' };
    const { report, summary } = await rollUp({
      outcomes: [
        scanned(A, REPORT_A, imported),
        scanned(B, REPORT_B, failed),
        { status: 'failed', account: C, error: accountFailure('role-unavailable', 'AccessDenied') },
      ],
      reports: stored(REPORT_A, REPORT_B),
    });

    expect(summary.accounts.map((a) => a.findings ?? null)).toEqual([imported, failed, null]);
    expect(report.accounts.map((a) => a.findings?.status ?? null)).toEqual(['imported', 'failed', null]);
  });
});
