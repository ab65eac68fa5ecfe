import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListUsersCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import type { ScanReport } from '../../src/domain/report/scan-report';
import { credentialReportCsv, type FakeUser } from '../../tools/fakes/fake-iam-server';
import { runCliInProcess } from '../support/run-cli';
import { sdkUser } from '../support/iam-sdk-builders';
import { temporaryDirectory } from '../support/temp-dir';

const NOW = new Date('2026-11-28T00:00:00Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

const users: FakeUser[] = [
  {
    name: 'idle-console',
    createdAt: daysAgo(800),
    passwordLastUsedAt: daysAgo(200),
    loginProfile: { createdAt: daysAgo(700) },
  },
  {
    name: 'busy-console',
    createdAt: daysAgo(800),
    passwordLastUsedAt: daysAgo(2),
    loginProfile: { createdAt: daysAgo(700) },
  },
  { name: 'nobody', createdAt: daysAgo(50) },
  {
    name: 'half-stale',
    createdAt: daysAgo(900),
    accessKeys: [
      { id: 'AKIA1', status: 'Active', createdAt: daysAgo(500), lastUsedAt: daysAgo(1) },
      { id: 'AKIA2', status: 'Active', createdAt: daysAgo(400), lastUsedAt: daysAgo(300) },
    ],
  },
];

const dir = temporaryDirectory('cli');
const reportFile = path.join(dir, 'report.csv');
beforeAll(() =>
  writeFileSync(
    reportFile,
    credentialReportCsv('123456789012', users, (u) => `arn:aws:iam::123456789012:user/${u.name}`),
  ),
);

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('stale-iam scan', () => {
  it('prints a table with stale users first and a summary line, exit 0', async () => {
    const run = await runCliInProcess([
      'scan',
      '--credential-report',
      reportFile,
      '--now',
      NOW.toISOString(),
    ]);

    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      'stale-iam: 1 of 4 IAM users unused for more than 90 days (account 123456789012, as of 2026-11-28T00:00:00.000Z, source file, credentials all)',
    );
    const rows = lines.filter((l) => /^(idle-console|busy-console|nobody|half-stale)\s/.test(l));
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual([
      'idle-console',
      'busy-console',
      'half-stale',
      'nobody',
    ]);
    expect(rows[0]).toMatch(/^idle-console\s+stale\s+200\s+2026-05-12\s+password 200d\*$/);
    expect(rows[2]).toMatch(/^half-stale\s+active\*\s+1\s+2026-11-27\s+key1 1d, key2 300d\*$/);
    expect(run.stdout).toContain(
      '4 users: 1 stale, 2 active (1 holding a stale credential), 1 without credentials',
    );
    expect(run.stderr).toBe('');
  });

  it('prints the schemaVersion 1 report with --format json', async () => {
    const run = await runCliInProcess([
      'scan',
      '--credential-report',
      reportFile,
      '--format',
      'json',
      '--days',
      '30',
    ]);

    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.schemaVersion).toBe(1);
    expect(report.thresholdDays).toBe(30);
    expect(report.source).toBe('file');
    expect(report.evaluatedAt).toBe('2026-11-28T00:00:00.000Z');
    expect(report.summary).toEqual({
      users: 4,
      stale: 1,
      active: 2,
      noCredentials: 1,
      exempt: 0,
      errors: 0,
      activeWithStaleCredentials: 1,
    });
  });

  it('judges only passwords with --credentials password (the original behaviour, fixed)', async () => {
    const run = await runCliInProcess([
      'scan',
      '--credential-report',
      reportFile,
      '--format',
      'json',
      '--credentials',
      'password',
    ]);

    const report = JSON.parse(run.stdout) as ScanReport;
    const status = Object.fromEntries(report.users.map((u) => [u.userName, u.status]));
    expect(status).toEqual({
      'busy-console': 'active',
      'half-stale': 'no-credentials',
      'idle-console': 'stale',
      nobody: 'no-credentials',
    });
  });

  it('prints one CSV row per credential with --format csv', async () => {
    const run = await runCliInProcess(['scan', '--credential-report', reportFile, '--format', 'csv']);

    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^user_name,arn,status,/);
    expect(lines.filter((l) => l.startsWith('half-stale,'))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('nobody,'))).toHaveLength(1);
  });

  it.each([
    [
      ['--credential-report', reportFile, '--days', 'abc'],
      '--days must be a whole number from 1 to 3650, got "abc"',
    ],
    [
      ['--credential-report', reportFile, '--days', '0'],
      '--days must be a whole number from 1 to 3650, got "0"',
    ],
    [
      ['--credential-report', reportFile, '--days', '99999'],
      '--days must be a whole number from 1 to 3650, got "99999"',
    ],
    [
      ['--credential-report', reportFile, '--format', 'xml'],
      '--format must be one of table, json, csv, asff, html, got "xml"',
    ],
    [
      ['--credential-report', reportFile, '--credentials', 'mfa'],
      '--credentials must be one of all, password, access-key, got "mfa"',
    ],
    [['--source', 'ldap'], '--source must be one of credential-report, api, got "ldap"'],
    [
      ['--now', 'yesterday'],
      '--now must be an ISO-8601 instant such as 2026-11-28T09:00:00Z, got "yesterday"',
    ],
    [['--credential-report', reportFile, '--bogus'], "Unknown option '--bogus' (see stale-iam scan --help)"],
  ])('refuses %j with one line on stderr and exit 2', async (args, message) => {
    const run = await runCliInProcess(['scan', ...args]);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`stale-iam: ${message}\n`);
    expect(run.stdout).toBe('');
  });

  it('refuses a missing credential report file with one line and exit 1', async () => {
    const run = await runCliInProcess(['scan', '--credential-report', path.join(dir, 'missing.csv')]);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `stale-iam: cannot read credential report ${path.join(dir, 'missing.csv')}: no such file\n`,
    );
  });

  it.each([
    ['not a report', 'name,email\nalice,a@example.com\n', 'not a credential report: missing column(s)'],
    [
      'a truncated row',
      readHeaderOnly() + 'alice,arn:aws:iam::123456789012:user/alice,2024-01-01T00:00:00+00:00\n',
      'line 2 has 3 fields',
    ],
    ['an empty file', '', 'credential report is empty'],
  ])('refuses a malformed CSV (%s) with one line and exit 1', async (_what, content, message) => {
    const run = await runCliInProcess(['scan', '--credential-report', write('bad.csv', content)]);

    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --source together with --credential-report', async () => {
    const run = await runCliInProcess(['scan', '--source', 'api', '--credential-report', reportFile]);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe('stale-iam: use either --source or --credential-report, not both\n');
  });

  it('says which call was denied, on one line, exit 1', async () => {
    const iam = mockClient(IAMClient);
    iam.on(GenerateCredentialReportCommand).rejects(
      Object.assign(
        new Error(
          'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:GenerateCredentialReport',
        ),
        {
          name: 'AccessDenied',
        },
      ),
    );

    const run = await runCliInProcess(['scan'], { iamClient: () => new IAMClient({}) });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'stale-iam: generating the credential report failed: AccessDenied: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:GenerateCredentialReport\n',
    );
    iam.restore();
  });

  /** `stale-iam scan --source api --format json` in process, through the mocked IAM client. */
  const scanThroughMockedApi = () =>
    runCliInProcess(['scan', '--source', 'api', '--format', 'json'], { iamClient: () => new IAMClient({}) });

  it('prints the whole report and exits 3 when some users could not be evaluated', async () => {
    const iam = mockClient(IAMClient);
    iam.onAnyCommand().rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    iam.on(ListUsersCommand).resolves({
      Users: [sdkUser('alice', { CreateDate: daysAgo(10) })],
      IsTruncated: false,
    });
    iam.on(GetAccountAuthorizationDetailsCommand).resolves(directory('alice'));

    const run = await scanThroughMockedApi();

    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.users[0]?.status).toBe('error');
    expect(report.users[0]?.error).toBe('AccessDenied: not authorized');
    expect(run.stderr).toBe(
      'stale-iam: 1 of 1 users could not be evaluated (status "error"); the report is partial\n',
    );
    iam.restore();
  });

  it('names users deleted during the scan on stderr and still exits 0', async () => {
    const iam = mockClient(IAMClient);
    iam
      .onAnyCommand()
      .rejects(
        new NoSuchEntityException({ message: 'The user with name gone cannot be found.', $metadata: {} }),
      );
    iam.on(ListUsersCommand).resolves({
      Users: [sdkUser('gone', { CreateDate: daysAgo(10) })],
      IsTruncated: false,
    });
    iam.on(GetAccountAuthorizationDetailsCommand).resolves(directory());

    const run = await scanThroughMockedApi();

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.users).toEqual([]);
    expect(report.deletedDuringScan).toEqual(['gone']);
    expect(run.stderr).toBe('stale-iam: deleted while the scan ran, so not judged: gone\n');
    iam.restore();
  });

  it('shows progress on stderr only when stderr is a terminal', async () => {
    const iam = mockClient(IAMClient);
    iam.on(ListUsersCommand).resolves({ Users: [], IsTruncated: false });
    iam.on(GetAccountAuthorizationDetailsCommand).resolves(directory());

    const quiet = await runCliInProcess(['scan', '--source', 'api'], { iamClient: () => new IAMClient({}) });
    const watched = await runCliInProcess(['scan', '--source', 'api'], {
      iamClient: () => new IAMClient({}),
      isTTY: true,
    });

    expect(quiet.stderr).toBe('');
    expect(watched.stderr).toContain('reading users 0/0');
    iam.restore();
  });

  it('prints usage with --help and exit 0', async () => {
    const run = await runCliInProcess(['scan', '--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: stale-iam scan [options]');
    expect(run.stdout).toContain('3 partial');
  });
});

/** GetAccountAuthorizationDetails for these users: root path, no tags, no groups. */
function directory(...names: string[]) {
  return {
    UserDetailList: names.map((name) => ({ UserName: name, Path: '/', GroupList: [] })),
    IsTruncated: false,
  };
}

function readHeaderOnly(): string {
  return credentialReportCsv('123456789012', [], () => '').split('\n')[0] + '\n';
}
