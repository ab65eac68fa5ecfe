/* eslint-disable no-control-regex -- these tests look for raw control characters */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ScanReport } from '../../src/domain/report/scan-report';
import { credentialReportCsv } from '../support/credential-report-fixture';
import { runCliInProcess } from '../support/run-cli';
import { temporaryDirectory } from '../support/temp-dir';

/** Credential report files as people really have them, through the whole CLI. */
const NOW = new Date('2026-11-28T00:00:00Z');
const dir = temporaryDirectory('cli-reports');
const STALE = { setAt: '2024-01-15T09:30:00+00:00', lastUsedAt: '2026-06-01T18:09:33+00:00' };
const RECENT = { setAt: '2024-01-15T09:30:00+00:00', lastUsedAt: '2026-11-20T00:00:00+00:00' };

function file(name: string, content: string): string {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
}

const scan = (target: string, ...args: string[]) =>
  runCliInProcess(['scan', '--credential-report', target, ...args], { now: NOW });

describe('stale-iam scan --credential-report with what people have', () => {
  const csv = credentialReportCsv('123456789012', [{ user: 'alice', password: STALE }, { user: 'bob' }]);

  it('reads the JSON that aws iam get-credential-report prints, with when AWS generated the report', async () => {
    const json = JSON.stringify({
      Content: Buffer.from(csv).toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: '2026-11-27T21:14:09+00:00',
    });

    const run = await scan(file('report.json', json), '--format', 'json');

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.users.map((u) => [u.userName, u.status])).toEqual([
      ['alice', 'stale'],
      ['bob', 'no-credentials'],
    ]);
    expect(report.credentialReportGeneratedAt).toBe('2026-11-27T21:14:09.000Z');
  });

  it('reads a report re-saved by a spreadsheet (TRUE/FALSE, CRLF)', async () => {
    const spreadsheet = csv
      .replace(/,true,/g, ',TRUE,')
      .replace(/,false,/g, ',FALSE,')
      .replace(/\n/g, '\r\n');

    const run = await scan(file('saved.csv', spreadsheet), '--format', 'json');

    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as ScanReport).summary.stale).toBe(1);
  });

  it('judges a user on two rows once, on the latest activity, and warns on stderr', async () => {
    const twice = credentialReportCsv('123456789012', [
      { user: 'alice', password: STALE },
      { user: 'bob' },
      { user: 'alice', password: RECENT },
    ]);

    const run = await scan(file('twice.csv', twice), '--format', 'json');

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.users.map((u) => [u.userName, u.status])).toEqual([
      ['alice', 'active'],
      ['bob', 'no-credentials'],
    ]);
    expect(report.summary.users).toBe(2);
    expect(run.stderr).toBe(
      'stale-iam: warning: 1 user is on more than one row of the credential report (alice on lines 3, 5); ' +
        'each is judged once, on the most recent activity of each credential\n',
    );
  });
});

describe('stale-iam scan: names that would take over a terminal', () => {
  const evil = 'evil\x1b]0;pwned\x07\x1b[2J';
  const flipped = 'admin\u202Etxt.exe';
  const csv = credentialReportCsv('123456789012', [
    { user: evil, password: STALE },
    { user: flipped, password: STALE },
  ]).replace(/^evil[^,]*,/m, `"${evil}",`);
  const target = path.join(dir, 'evil.csv');
  beforeAll(() => writeFileSync(target, csv));

  it.each([['table'], ['csv'], ['json']])('shows them escaped in the %s output', async (format) => {
    const run = await scan(target, '--format', format);

    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/[\x07\x1b\u202e]/);
    if (format !== 'json') {
      expect(run.stdout).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J');
      expect(run.stdout).toContain('admin\\u202etxt.exe');
    }
  });

  it('keeps the JSON the same data: the names decode back exactly', async () => {
    const run = await scan(target, '--format', 'json');

    expect((JSON.parse(run.stdout) as ScanReport).users.map((u) => u.userName).sort()).toEqual(
      [evil, flipped].sort(),
    );
  });

  it('shows them escaped in an error message that quotes the file', async () => {
    const bad = csv.replace('2024-01-15T09:30:00+00:00', '\x1b[31mnot a date');

    const run = await scan(file('bad.csv', bad));

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('got "\\x1b[31mnot a date"');
    expect(run.stderr).not.toMatch(/\x1b/);
    expect(run.stderr.split('\n')).toHaveLength(2);
  });
});

describe('stale-iam scan: any number of users', () => {
  const rows = Array.from({ length: 130_000 }, (_, i) => ({
    user: `user-${i}`,
    password: i % 2 ? STALE : RECENT,
  }));
  const target = path.join(dir, 'big.csv');
  beforeAll(() => writeFileSync(target, credentialReportCsv('123456789012', rows)));

  // The CSV, JSON and email of a report this size: tests/domain/report/any-size.test.ts.
  it('prints a table of 130,000 users', async () => {
    const run = await scan(target);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('130000 users: 65000 stale, 65000 active');
    expect(run.stdout.split('\n').filter((l) => l.startsWith('user-'))).toHaveLength(130_000);
  });
});
