import {
  parseOrganizationReport,
  parseOrganizationReportLocation,
  parseOrganizationSummary,
} from '../../src/contracts/organization-report';
import { accountFailure } from '../../src/domain/organization/account-outcome';
import { OrganizationReportWriter } from '../../src/domain/organization/organization-report';
import { InvalidInputError } from '../../src/lib/errors';
import { HEAD, MemorySink, account, accountReport, locationOf } from '../support/organization-builders';
import { thrownBy } from '../support/rejection';
import { activeUser, errorUser, password, staleUser } from '../support/report-builder';

const WHERE = 's3://reports-bucket/reports/organization/2026/11/28/organization-2026-11-28T000000Z.json';
const A = account('111111111111', 'payments');
const B = account('222222222222', 'legacy');

/** A real organisation report as JSON: two scanned accounts (one partial) and a failed one. */
async function written(): Promise<Record<string, unknown>> {
  const json = new MemorySink();
  const writer = new OrganizationReportWriter(HEAD, { json, csv: new MemorySink() });
  await writer.begin();
  const reportA = accountReport(A.accountId, [staleUser('ren', password(200)), activeUser('mika')]);
  const reportB = accountReport(B.accountId, [errorUser('locked', 'AccessDenied')]);
  await writer.addReport(A, reportA, locationOf(reportA));
  await writer.addReport(B, reportB, locationOf(reportB));
  writer.addFailure(account('333333333333'), accountFailure('role-unavailable', 'AccessDenied'));
  await writer.end([]);
  return JSON.parse(json.text) as Record<string, unknown>;
}

function withoutUsers(report: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(report).filter(([field]) => field !== 'users'));
}

function refusal(parse: () => unknown): string {
  const error = thrownBy(parse);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect(error.message).toContain(WHERE);
  return error.message;
}

type Json = Record<string, unknown> & {
  accounts: Record<string, unknown>[];
  users: Record<string, unknown>[];
};

describe('parseOrganizationReport and parseOrganizationSummary', () => {
  it('accept what the writer writes, with every instant as a Date', async () => {
    const json = await written();

    const report = parseOrganizationReport(json, WHERE);
    const summary = parseOrganizationSummary(withoutUsers(json), WHERE);

    expect(report.users).toHaveLength(3);
    expect(report.evaluatedAt).toBeInstanceOf(Date);
    expect(summary.accounts.map((a) => a.status)).toEqual(['complete', 'partial', 'failed']);
  });

  it("accept a scanned account whose own report was not stored (the CLI's output), but never a failed account with one", async () => {
    const json = (await written()) as Json;
    Object.assign(json.accounts[0] ?? {}, { report: null });

    expect(parseOrganizationReport(json, WHERE).accounts[0]?.report).toBeNull();

    Object.assign(json.accounts[2] ?? {}, { report: (json.accounts[1] ?? {}).report });
    expect(refusal(() => parseOrganizationReport(json, WHERE))).toContain(
      'is failed, but has a summary or a report',
    );
  });

  it.each<[string, (json: Json) => void, string]>([
    ['an account listed twice', (j) => j.accounts.push({ ...j.accounts[0] }), 'listed twice'],
    [
      'totals that are not the sum of the accounts',
      (j) => Object.assign(j.summary as object, { stale: 9 }),
      'summary.stale is 9',
    ],
    ['partial false although an account failed', (j) => (j.partial = false), 'partial is false'],
    [
      'a failed account with a summary',
      (j) => Object.assign(j.accounts[2] ?? {}, { summary: (j.accounts[0] ?? {}).summary }),
      'is failed, but has a summary',
    ],
    ['a failed account without its error', (j) => delete (j.accounts[2] ?? {}).error, 'lacks an error'],
    [
      'a complete account with users not evaluated',
      (j) => Object.assign(j.accounts[1] ?? {}, { status: 'complete' }),
      'is complete, but 1 of its users',
    ],
    [
      'an account report outside the account folder',
      (j) =>
        Object.assign((j.accounts[0] ?? {}).report as object, {
          key: 'reports/222222222222/2026/11/28/scan-2026-11-28T000000Z.json',
          csvKey: 'reports/222222222222/2026/11/28/scan-2026-11-28T000000Z.csv',
        }),
      'is not in its folder',
    ],
    [
      'an unknown failure kind',
      (j) => Object.assign(j.accounts[2] ?? {}, { errorKind: 'bored' }),
      'errorKind',
    ],
    ['a top-level account id', (j) => (j.accountId = '111111111111'), 'accountId'],
  ])('refuse a report with %s', async (_what, tamper, reason) => {
    const json = (await written()) as Json;
    tamper(json);

    expect(refusal(() => parseOrganizationReport(json, WHERE))).toContain(reason);
    expect(refusal(() => parseOrganizationSummary(withoutUsers(json), WHERE))).toContain(reason);
  });

  it.each<[string, (json: Json) => void, string]>([
    [
      'users of a failed account',
      (j) => j.users.push({ ...j.users[0], accountId: '333333333333' }),
      'failed, yet 1 of its users',
    ],
    [
      'users of an account not listed',
      (j) => j.users.push({ ...j.users[0], accountId: '999999999999' }),
      'the account is not',
    ],
    [
      'users an account summary does not count',
      (j) => j.users.pop(),
      'summary.users is 1, but its users give 0',
    ],
    ['a user without an account', (j) => delete (j.users[0] ?? {}).accountId, 'users.0.accountId'],
    ['a user listed twice in one account', (j) => j.users.push({ ...j.users[0] }), 'listed twice'],
  ])('refuse a full report with %s', async (_what, tamper, reason) => {
    const json = (await written()) as Json;
    tamper(json);

    expect(refusal(() => parseOrganizationReport(json, WHERE))).toContain(reason);
  });
});

describe('parseOrganizationReportLocation', () => {
  const key = 'reports/organization/2026/11/28/organization-2026-11-28T000000Z.json';
  const good = {
    bucket: 'b',
    key,
    csvKey: key.replace(/\.json$/, '.csv'),
    summaryKey: key.replace(/\.json$/, '.summary.json'),
  };

  it('accepts the location the roll-up returns', () => {
    expect(parseOrganizationReportLocation({ report: good }, 'notifyOrganization')).toEqual(good);
  });

  it.each([
    [
      'an account report key',
      { ...good, key: 'reports/111111111111/2026/11/28/scan-2026-11-28T000000Z.json' },
    ],
    ['a summary elsewhere', { ...good, summaryKey: 'audit/x.json' }],
    ['no bucket', { ...good, bucket: '' }],
  ])('refuses %s', (_what, report) => {
    expect(() => parseOrganizationReportLocation({ report }, 'notifyOrganization')).toThrow(
      InvalidInputError,
    );
  });
});
