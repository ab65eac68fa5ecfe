import { parseStoredReport } from '../../src/contracts/stored-report';
import { InvalidInputError } from '../../src/lib/errors';
import { thrownBy } from '../support/rejection';
import {
  accessKey,
  activeUser,
  buildReport,
  errorUser,
  noCredentialsUser,
  password,
  staleUser,
} from '../support/report-builder';

const WHERE = 's3://reports-bucket/reports/123456789012/2026/11/28/scan-2026-11-28T000000Z.json';

/** The report as JSON, as it lies in S3: what the parser receives. */
function stored(overrides: Record<string, unknown> = {}) {
  const report = buildReport([
    staleUser('ren', password(200), accessKey(1, 150)),
    activeUser('mika'),
    noCredentialsUser('auditor'),
  ]);
  return { ...JSON.parse(JSON.stringify(report)), ...overrides } as Record<string, unknown>;
}

function refusal(json: unknown): string {
  const error = thrownBy(() => parseStoredReport(json, WHERE));
  expect(error).toBeInstanceOf(InvalidInputError);
  expect(error.message).toContain(WHERE);
  return error.message;
}

describe('parseStoredReport', () => {
  it('gives back the report with every instant as a Date', () => {
    const report = parseStoredReport(stored(), WHERE);

    expect(report.evaluatedAt).toEqual(new Date('2026-11-28T00:00:00.000Z'));
    expect(report.users.find((u) => u.userName === 'ren')?.credentials[0]?.referenceAt).toBeInstanceOf(Date);
  });

  it.each([
    ['missing', undefined],
    ['a word', 'abc'],
    ['zero', 0],
    ['negative', -5],
    ['a fraction', 1.5],
    ['above 3650', 3651],
  ])('refuses a thresholdDays that is %s: the re-check would pass for anyone', (_what, thresholdDays) => {
    expect(refusal(stored({ thresholdDays }))).toContain('thresholdDays');
  });

  it('refuses a summary that hides the users who could not be evaluated', () => {
    const report = buildReport([staleUser('ren'), errorUser('locked', 'AccessDenied')]);
    const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    const tampered = { ...json, summary: { ...report.summary, errors: 0 }, partial: false };

    expect(refusal(tampered)).toContain('summary.errors is 0, but the users listed give 1');
  });

  it('refuses a report that says it is complete while a user could not be evaluated', () => {
    const report = buildReport([staleUser('ren'), errorUser('locked', 'AccessDenied')]);
    const json = { ...JSON.parse(JSON.stringify(report)), partial: false };

    expect(refusal(json)).toContain('partial is false, but 1 user(s) could not be evaluated');
  });

  it('refuses users padded into the report to dilute the percentage cap', () => {
    const json = stored();
    const users = json.users as unknown[];
    const padded = { ...json, users: [...users, ...users] };

    expect(refusal(padded)).toMatch(/listed twice|summary\.users/);
  });

  it('refuses the same user twice in different letter case (IAM names ignore case)', () => {
    const report = buildReport([staleUser('ren'), staleUser('REN')]);

    expect(refusal(JSON.parse(JSON.stringify(report)))).toContain('user REN is listed twice');
  });

  it.each([
    ['an impossible date', { evaluatedAt: '2026-02-30T00:00:00Z' }],
    ['a date without a zone', { evaluatedAt: '2026-11-28T00:00:00' }],
    ['an unknown source', { source: 'spreadsheet' }],
    ['an account id that is not 12 digits', { accountId: '1234' }],
    ['a field the schema does not have', { extra: true }],
    ['users that are not a list', { users: {} }],
  ])('refuses %s', (_what, overrides) => {
    refusal(stored(overrides));
  });

  it('refuses a credential whose stale flag is not a boolean', () => {
    const json = stored();
    const [first, ...rest] = json.users as { credentials: Record<string, unknown>[] }[];
    const broken = { ...first, credentials: [{ ...first?.credentials[0], stale: 'yes' }] };

    expect(refusal({ ...json, users: [broken, ...rest] })).toContain('stale');
  });

  it('names the version it found when the schemaVersion is not 1', () => {
    expect(refusal(stored({ schemaVersion: 2 }))).toContain('has schemaVersion 2, expected 1');
    expect(refusal(null)).toContain('has schemaVersion none, expected 1');
  });
});
