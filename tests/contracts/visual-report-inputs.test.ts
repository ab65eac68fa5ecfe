import { parseHistoryEntry } from '../../src/contracts/history-entry';
import { parseRemediationSummary } from '../../src/contracts/remediation-summary';
import { parseReportView } from '../../src/contracts/report-view';
import { historyEntryOf } from '../../src/domain/visual-report/history';
import { historyKeyOf } from '../../src/domain/visual-report/keys';
import { InvalidInputError } from '../../src/lib/errors';
import { asStoredOrganisation, dryRunOver } from '../../tools/fakes/visual-report-input';
import { LOCATION, buildReport, errorUser, staleUser } from '../support/report-builder';

type Json = Record<string, unknown>;

/** What a value looks like once it has been through JSON, as it is when read back from S3 or an event. */
const wire = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

describe('parseHistoryEntry', () => {
  const KEY = historyKeyOf(LOCATION.key);
  const stored = () => wire(historyEntryOf(buildReport([staleUser('ann')]), LOCATION.key, undefined));
  const summary = () => stored().summary as Json;

  it('reads back what the render step writes, instants as Dates', () => {
    const entry = parseHistoryEntry(stored(), KEY);
    expect(entry.evaluatedAt).toEqual(new Date('2026-11-28T00:00:00Z'));
    expect(entry.summary.stale).toBe(1);
  });

  it.each([
    ['another schema version', () => ({ schemaVersion: 2 }), 'schemaVersion'],
    ['a field it does not know', () => ({ extra: true }), 'Unrecognized key'],
    ['a negative count', () => ({ staleCredentials: -1 }), 'staleCredentials'],
    ['a threshold out of range', () => ({ thresholdDays: 0 }), 'thresholdDays'],
    ['a report key the scan does not write', () => ({ reportKey: 'reports/x.json' }), 'reportKey'],
    ['counts that do not add up', () => ({ summary: { ...summary(), users: 7 } }), 'statuses add up to 1'],
    [
      'another account than its report key',
      () => ({ accountId: '999999999999' }),
      'does not match its report key',
    ],
    [
      'a time that is not its report key',
      () => ({ evaluatedAt: '2026-11-27T00:00:00.000Z' }),
      'is not the time of its report key',
    ],
    [
      'errors on a run not marked partial',
      () => ({ summary: { ...summary(), errors: 1, users: 2 } }),
      'partial is false',
    ],
  ])('refuses an entry with %s', (_, change, message) => {
    const entry = { ...stored(), ...change() };
    expect(() => parseHistoryEntry(entry, KEY)).toThrow(message);
    expect(() => parseHistoryEntry(entry, KEY)).toThrow(InvalidInputError);
  });

  it('refuses an entry found under another run key than its own (copied or moved)', () => {
    const other = historyKeyOf('reports/123456789012/2026/11/21/scan-2026-11-21T000000Z.json');
    expect(() => parseHistoryEntry(stored(), other)).toThrow(`belongs under ${KEY}`);
  });

  it('refuses what is not an object at all', () => {
    expect(() => parseHistoryEntry('[]', KEY)).toThrow(InvalidInputError);
    expect(() => parseHistoryEntry(null, KEY)).toThrow(InvalidInputError);
  });
});

describe('parseRemediationSummary', () => {
  const summary = () => wire(dryRunOver(buildReport([staleUser('ann'), staleUser('bob')])));

  it('accepts the summary the disable step returns', () => {
    expect(parseRemediationSummary(summary(), 'input').counts).toEqual({ 'would-delete': 2 });
  });

  it('refuses an outcome it does not know, a mode it does not know, and counts that disagree with the items', () => {
    expect(() => parseRemediationSummary({ ...summary(), counts: { erased: 2 } }, 'input')).toThrow('counts');
    expect(() => parseRemediationSummary({ ...summary(), mode: 'yolo' }, 'input')).toThrow('mode');
    expect(() => parseRemediationSummary({ ...summary(), counts: { 'would-delete': 9 } }, 'input')).toThrow(
      'the counts add up to 9',
    );
  });
});

describe('parseReportView', () => {
  const single = () => buildReport([staleUser('ann'), staleUser('bob')]);
  const organisation = () => wire(asStoredOrganisation(single()));
  const usersOf = (report: Json) => report.users as Json[];

  it('reads a single-account report as parseStoredReport does', () => {
    const view = parseReportView(wire(single()), 's3://b/k');
    expect(view.accounts).toBeUndefined();
    expect(view.users.map((u) => u.userName)).toEqual(['ann', 'bob']);
  });

  it('reads an organisation report: users with their accounts, and the accounts', () => {
    const view = parseReportView(organisation(), 's3://b/k');
    expect(view.users.map((u) => [u.accountId, u.userName])).toEqual([
      ['111111111111', 'ann'],
      ['222222222222', 'bob'],
    ]);
    expect(view.accounts?.map((a) => a.status)).toEqual(['complete', 'complete', 'failed']);
    expect(view.users[0]?.credentials[0]?.referenceAt).toBeInstanceOf(Date);
  });

  it('accepts one user name in two accounts, but not twice in one', () => {
    const report = organisation();
    const twice = { ...report, users: usersOf(report).map((u) => ({ ...u, userName: 'ann' })) };
    expect(parseReportView(twice, 'k').users).toHaveLength(2);
    const sameAccount = {
      ...twice,
      users: usersOf(report).map((u) => ({ ...u, userName: 'ann', accountId: '111111111111' })),
    };
    expect(() => parseReportView(sameAccount, 'k')).toThrow(
      'user ann is listed twice in account 111111111111',
    );
  });

  it.each([
    [
      'a user of an account it does not list',
      (r: Json) => ({ ...r, accounts: (r.accounts as unknown[]).slice(1) }),
      'which is not listed',
    ],
    ['a failed account but partial false', (r: Json) => ({ ...r, partial: false }), 'partial is false'],
    [
      'a summary the users contradict',
      (r: Json) => ({ ...r, summary: { ...(r.summary as Json), stale: 5 } }),
      'summary.stale is 5',
    ],
    [
      'an account status it does not know',
      (r: Json) => ({ ...r, accounts: [{ accountId: '111111111111', name: 'x', status: 'half' }] }),
      'accounts.0.status',
    ],
    ['a header the report validator refuses', (r: Json) => ({ ...r, thresholdDays: -1 }), 'thresholdDays'],
    [
      'a user without an account',
      (r: Json) => ({ ...r, users: usersOf(r).map((u) => ({ ...u, accountId: undefined })) }),
      'accountId',
    ],
  ])('refuses an organisation report with %s', (_, change, message) => {
    expect(() => parseReportView(change(organisation()), 's3://b/k')).toThrow(message);
  });

  it('still refuses a partial single-account report that says it is complete', () => {
    const report = wire(buildReport([errorUser('ann', 'Throttling')]));
    expect(() => parseReportView({ ...report, partial: false }, 'k')).toThrow('partial is false');
  });
});
