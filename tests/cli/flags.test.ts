import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ScanReport } from '../../src/domain/report/scan-report';
import { EXIT } from '../../src/cli/io';
import {
  PROJECT_ROOT,
  SAMPLE_REPORT,
  runCliBinary,
  runCliInProcess,
  sampleScanArgs,
} from '../support/run-cli';

/** The README's main command: the bundled sample as of this instant. */
const sample = (...args: string[]) => runCliInProcess(sampleScanArgs(...args));
const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

describe('stale-iam --version', () => {
  it.each([['--version'], ['-v']])('prints the package version with %s, exit 0', async (flag) => {
    const run = await runCliInProcess([flag]);

    expect(run).toEqual({ code: 0, stdout: `stale-iam ${version}\n`, stderr: '' });
  });

  it('is the version of the built binary too', async () => {
    const run = await runCliBinary(['--version']);

    expect(run.stdout).toBe(`stale-iam ${version}\n`);
  });

  it('lists the commands in the usage', async () => {
    const run = await runCliInProcess(['--help']);

    expect(run.stdout).toMatch(/^ {2}scan +report IAM users and credentials unused for more than N days/m);
    expect(run.stdout).toContain('--version');
  });
});

describe('stale-iam scan: what the table says', () => {
  it('says "more than N days", the rule as it is (a credential at exactly N days is not stale)', async () => {
    const run = await sample('--days', '90');

    expect(run.stdout.split('\n')[0]).toMatch(/^stale-iam: 12 of 36 IAM users unused for more than 90 days /);
    expect(run.stdout).not.toMatch(/\d\+ days|idle for/);
    expect(run.stdout).toContain('*                 stale: unused for more than 90 days');
  });

  it('explains every mark it shows in a legend', async () => {
    const run = await sample();
    const legend = run.stdout.slice(run.stdout.indexOf('\nLegend:\n'));
    const table = run.stdout.slice(0, run.stdout.indexOf('\n\n36 users'));

    const marks: [string, RegExp][] = [
      ['200d', /\b\d+d\b/],
      ['*', /\d+d\*/],
      ['active*', /\bactive\* /],
      ['never used', /never used/],
      ['unused since set', /unused since set/],
      ['inactive', /key\d inactive/],
      ['-', / - /],
    ];
    for (const [mark, inTable] of marks) {
      expect([mark, inTable.test(table)]).toEqual([mark, true]);
      expect(legend).toMatch(new RegExp(`\\n  ${mark.replace(/[*]/g, '\\*')} +\\S`));
    }
  });

  it('lists only the marks it shows', async () => {
    const run = await sample('--status', 'no-credentials');

    expect(run.stdout).toContain('  inactive  an inactive access key: it never counts');
    expect(run.stdout).not.toContain('stale: unused for more than');
  });
});

describe('stale-iam scan --status', () => {
  it('lists only users with those statuses and says so; the summary still counts everyone', async () => {
    const all = await sample();
    const filtered = await sample('--status', 'stale,error');

    const rows = (text: string) =>
      text.split('\n').filter((l) => /^\S+\s+(stale|active\*?|no-credentials|exempt|error)\s/.test(l));
    expect(rows(filtered.stdout)).toHaveLength(12);
    expect(rows(filtered.stdout).every((l) => /^\S+\s+stale\s/.test(l))).toBe(true);
    expect(rows(all.stdout)).toHaveLength(36);
    const summary = (text: string) => text.split('\n').find((l) => l.startsWith('36 users:'));
    expect(summary(filtered.stdout)).toBe(summary(all.stdout));
    expect(filtered.stdout).toContain('Shown: 12 of 36 users (--status stale,error)');
    expect(filtered.code).toBe(0);
  });

  it('takes the flag repeated as well as a comma list', async () => {
    const run = await sample('--status', 'active', '--status', 'no-credentials', '--format', 'csv');

    const statuses = new Set(
      run.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[2]),
    );
    expect(statuses).toEqual(new Set(['active', 'no-credentials']));
  });

  it('refuses a status that does not exist', async () => {
    const run = await sample('--status', 'stale,idle');

    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toBe(
      'stale-iam: --status must be one of stale, active, no-credentials, exempt, error, got "idle"\n',
    );
  });

  it('refuses to filter the JSON report, which always lists every user', async () => {
    const run = await sample('--status', 'stale', '--format', 'json');

    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain('the JSON report always lists every user');
  });
});

describe('stale-iam scan --fail-on-stale', () => {
  it('exits 4 when a complete scan finds stale users, after printing the whole report', async () => {
    const run = await sample('--fail-on-stale', '--format', 'json');

    expect(run.code).toBe(4);
    expect((JSON.parse(run.stdout) as ScanReport).summary.stale).toBe(12);
    expect(run.stderr).toBe(
      'stale-iam: 12 of 36 users are stale (unused for more than 90 days); exit 4 (--fail-on-stale)\n',
    );
  });

  it('exits 0 when nobody is stale', async () => {
    const run = await sample('--fail-on-stale', '--days', '3650');

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('leaves the exit code at 0 without the flag, whatever is found', async () => {
    expect((await sample()).code).toBe(0);
  });
});

describe('stale-iam scan: values out of range', () => {
  it.each([
    [['--days', '-5'], '--days must be a whole number from 1 to 3650, got "-5"'],
    [['--days', '-1'], '--days must be a whole number from 1 to 3650, got "-1"'],
    [['--days=-5'], '--days must be a whole number from 1 to 3650, got "-5"'],
    [['--days', '-0.5'], '--days must be a whole number from 1 to 3650, got "-0.5"'],
    [
      ['--source', 'api', '--concurrency', '-2'],
      '--concurrency must be a whole number from 1 to 32, got "-2"',
    ],
    [['--region', 'tokyo'], '--region must be an AWS Region such as us-east-1, got "tokyo"'],
    [
      ['--profile', 'my profile'],
      '--profile must be a profile name from your AWS config, such as prod-readonly, got "my profile"',
    ],
    [
      ['--credential-report', SAMPLE_REPORT, '--region', 'us-east-1'],
      '--profile and --region apply to live sources; a credential report file needs no AWS call',
    ],
  ])('refuses %j with the range, on one line, exit 2', async (args, message) => {
    const run = await runCliInProcess(['scan', ...args]);

    expect(run).toEqual({ code: EXIT.usage, stdout: '', stderr: `stale-iam: ${message}\n` });
  });

  it('prints no doubled prefix for an unknown command', async () => {
    const run = await runCliInProcess(['scna']);

    expect(run.stderr).toBe(
      'stale-iam: unknown command "scna" (commands: scan, disable; see stale-iam --help)\n',
    );
  });
});
