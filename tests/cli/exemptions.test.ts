import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import type { ScanReport } from '../../src/domain/report/scan-report';
import { EXIT } from '../../src/cli/io';
import { credentialReportCsv, serveCredentialReport } from '../support/credential-report-fixture';
import { sdkUserDetail } from '../support/iam-sdk-builders';
import { contextFor } from '../support/lambda-context';
import { awsError } from '../support/rejection';
import { runCliInProcess } from '../support/run-cli';
import { storedJsonReport } from '../support/stored-report';
import { scanHandlerOnMocks, useScanHandlerMocks } from '../support/scan-handler-mocks';
import { temporaryDirectory } from '../support/temp-dir';

/**
 * The CLI and the emailed report must agree on who is exempt in the same account: the same tag,
 * the same lists (parsed by the same settings parsers), the same reasons.
 */
const ACCOUNT_ID = '123456789012';
const NOW = new Date('2026-11-28T00:00:00Z');
const STALE = { setAt: '2024-01-15T09:30:00+00:00', lastUsedAt: '2026-06-01T18:09:33+00:00' };
const NAMES = ['admin', 'breakglass', 'ren', 'robot', 'oncall'];
const CSV = credentialReportCsv(
  ACCOUNT_ID,
  NAMES.map((user) => ({ user, password: STALE })),
);
const DIRECTORY = [
  sdkUserDetail('admin', { Tags: [{ Key: 'stale-iam:exempt', Value: 'TRUE' }] }),
  sdkUserDetail('breakglass'),
  sdkUserDetail('ren'),
  sdkUserDetail('robot', { Path: '/system/robots/' }),
  sdkUserDetail('oncall', { GroupList: ['developers', 'oncall-admins'] }),
];

const { iam, s3 } = useScanHandlerMocks();
beforeEach(() => serveCredentialReport(iam, CSV, undefined, DIRECTORY));

type Exemptions = Record<string, string | undefined>;

function exemptions(report: ScanReport): Exemptions {
  return Object.fromEntries(
    report.users.map((u) => [u.userName, u.status === 'exempt' ? u.exemptReason : u.status]),
  );
}

async function service(env: Record<string, string>): Promise<Exemptions> {
  const handler = scanHandlerOnMocks(NOW, env);
  await handler({}, contextFor());
  return exemptions(storedJsonReport(s3));
}

async function cli(...args: string[]): Promise<{ code: number; exemptions: Exemptions; stderr: string }> {
  const run = await runCliInProcess(['scan', '--format', 'json', ...args], {
    now: NOW,
    iamClient: () => new IAMClient({}),
  });
  return {
    code: run.code,
    stderr: run.stderr,
    exemptions: run.code === 0 ? exemptions(JSON.parse(run.stdout) as ScanReport) : {},
  };
}

describe('exemptions: the CLI agrees with the service on the same account', () => {
  it('honours the stale-iam:exempt tag, as the service does with no exemption settings', async () => {
    const fromService = await service({});
    const fromCli = await cli();

    expect(fromCli.exemptions).toEqual(fromService);
    expect(fromCli.exemptions.admin).toBe('tag stale-iam:exempt=true');
    expect(fromCli.exemptions.ren).toBe('stale');
  });

  it('applies --exempt-users, --exempt-paths and --exempt-groups as the deploy parameters', async () => {
    const fromService = await service({
      EXEMPT_USER_NAMES: '["BreakGlass"]',
      EXEMPT_PATH_PREFIXES: '["/system/robots"]',
      EXEMPT_GROUP_NAMES: '["oncall-admins"]',
    });
    const fromCli = await cli(
      '--exempt-users',
      'BreakGlass',
      '--exempt-paths',
      '/system/robots',
      '--exempt-groups',
      'oncall-admins',
    );

    expect(fromCli.exemptions).toEqual(fromService);
    expect(fromCli.exemptions).toEqual({
      admin: 'tag stale-iam:exempt=true',
      breakglass: 'user name is exempt',
      oncall: 'member of exempt group oncall-admins',
      ren: 'stale',
      robot: 'path /system/robots/ is under exempt prefix /system/robots/',
    });
  });

  it('takes the JSON arrays of the deploy parameters as they are', async () => {
    const fromCli = await cli('--exempt-users', '["breakglass","ren"]');

    expect(fromCli.exemptions.ren).toBe('user name is exempt');
    expect(fromCli.exemptions.breakglass).toBe('user name is exempt');
  });

  it('reads no tags with --ignore-exempt-tag, and still applies names and the paths in the ARNs', async () => {
    const fromCli = await cli('--ignore-exempt-tag', '--exempt-users', 'ren');

    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 0);
    expect(fromCli.exemptions.admin).toBe('stale');
    expect(fromCli.exemptions.ren).toBe('user name is exempt');
  });

  it('says what to do when the tags cannot be read', async () => {
    iam
      .on(GetAccountAuthorizationDetailsCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: iam:GetAccountAuthorizationDetails'));

    const run = await cli();

    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toBe(
      "stale-iam: reading users' tags and groups failed: AccessDenied: not authorized to perform: iam:GetAccountAuthorizationDetails " +
        '(the CLI reads them to honour the stale-iam:exempt tag as the service does: allow iam:GetAccountAuthorizationDetails, or pass --ignore-exempt-tag)\n',
    );
  });
});

describe('exemptions with a credential report file', () => {
  const dir = temporaryDirectory('cli-exempt');
  const file = path.join(dir, 'report.csv');
  beforeAll(() =>
    writeFileSync(
      file,
      credentialReportCsv(
        ACCOUNT_ID,
        NAMES.map((user) => ({ user, password: STALE })),
      ).replace(`:user/robot,`, ':user/system/robots/robot,'),
    ),
  );
  const scanFile = (...args: string[]) =>
    runCliInProcess(['scan', '--credential-report', file, '--format', 'json', ...args], { now: NOW });

  it('applies user names, and paths from the ARNs', async () => {
    const run = await scanFile(
      '--exempt-users',
      'RObot',
      '--exempt-users',
      'ren',
      '--exempt-paths',
      'system/robots',
    );

    const report = JSON.parse(run.stdout) as ScanReport;
    expect(exemptions(report)).toEqual({
      admin: 'stale',
      breakglass: 'stale',
      oncall: 'stale',
      ren: 'user name is exempt',
      robot: 'user name is exempt',
    });
    const byPath = JSON.parse((await scanFile('--exempt-paths', '/system/')).stdout) as ScanReport;
    expect(exemptions(byPath).robot).toBe('path /system/robots/ is under exempt prefix /system/');
  });

  it('says in the table that a file has no tags to read', async () => {
    const run = await runCliInProcess(['scan', '--credential-report', file, '--exempt-users', 'ren'], {
      now: NOW,
    });

    expect(run.stdout).toContain(
      'Exemptions: tag stale-iam:exempt not read (a credential report file has no tags); users ren',
    );
    expect(run.stdout).toMatch(/\nren\s+exempt\s.*\(exempt: user name is exempt\)\n/);
  });

  it.each([
    [
      ['--exempt-groups', 'admins'],
      '--exempt-groups needs a live source: a credential report file does not say who is in which group',
    ],
    [
      ['--exempt-users', 'alice,bob'],
      `--exempt-users "alice,bob": IAM names may contain commas, so this could be one name or several; repeat the flag for each (--exempt-users a --exempt-users b), or give a JSON array ('["a","b"]', or '["a,b"]' for one name)`,
    ],
    [
      ['--exempt-users', 'not a name'],
      '--exempt-users: "not a name" is not a legal IAM user name (1 to 64 letters, digits and +=,.@_-)',
    ],
    [['--exempt-paths', '/ops/*/'], '--exempt-paths: "/ops/*/" is not a legal IAM path prefix'],
    [['--exempt-users', '["alice"'], '--exempt-users must be a JSON array of IAM user names'],
  ])('refuses %j on one line, exit 2', async (args, message) => {
    const run = await scanFile(...args);

    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain(`stale-iam: ${message}`);
    expect(run.stderr.split('\n')).toHaveLength(2);
  });
});
