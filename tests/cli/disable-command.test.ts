import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { DISABLE_EXIT } from '../../src/cli/disable-command';
import { credentialReportCsv } from '../../tools/fakes/fake-iam-server';
import { startFakeAws, type FakeAws, type FakeAwsUser } from '../support/fake-aws-server';
import { loopbackIamClient } from '../support/loopback-iam-client';
import { runCliBinary } from '../support/run-cli';

/**
 * `stale-iam disable` in-process, against a loopback endpoint speaking the IAM wire protocol with
 * backdated users: what it reads, what it writes to IAM, what it prints, its audit file, its exit code.
 */

const NOW = new Date('2026-11-28T00:00:00Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

/** A console user whose password was last used `days` ago. */
function consoleUser(name: string, days: number, extra: Partial<FakeAwsUser> = {}): FakeAwsUser {
  return {
    name,
    createdAt: daysAgo(900),
    passwordLastUsedAt: daysAgo(days),
    loginProfile: { createdAt: daysAgo(800) },
    ...extra,
  };
}

/** 2 stale console users among 6, a stale key, an exempt-by-tag user, one exempt by a comma in its name. */
function population(): FakeAwsUser[] {
  return [
    consoleUser('ren', 200),
    consoleUser('aoi', 150),
    consoleUser('sota', 2),
    consoleUser('mei', 10),
    consoleUser('breakglass', 400, { tags: { 'Stale-IAM:Exempt': 'True' } }),
    consoleUser('svc,ops', 300),
    {
      name: 'ci',
      createdAt: daysAgo(900),
      accessKeys: [
        { id: 'AKIAEXAMPLECI0000001', status: 'Active', createdAt: daysAgo(700), lastUsedAt: daysAgo(300) },
      ],
    },
    {
      name: 'deploy',
      createdAt: daysAgo(900),
      accessKeys: [
        { id: 'AKIAEXAMPLEDEPLOY001', status: 'Active', createdAt: daysAgo(700), lastUsedAt: daysAgo(1) },
      ],
    },
  ];
}

let fake: FakeAws;
let dir: string;
let auditFile: string;

beforeEach(async () => {
  fake = await startFakeAws({ users: population() });
  dir = mkdtempSync(path.join(tmpdir(), 'stale-iam-disable-cli-'));
  auditFile = path.join(dir, 'audit.jsonl');
});

afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  questions: string[];
}

async function disable(args: string[], options: { answer?: string | null; now?: Date } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const questions: string[] = [];
  // The scan reads the api source unless a test names one (the re-check reads the credential report
  // either way, a name with a comma quoted as CSV quotes it).
  const source = args.includes('--source') || args.includes('--credential-report') ? [] : ['--source', 'api'];
  const code = await main(['disable', '--audit-file', auditFile, ...source, ...args], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      write: (text: string) => (stderr += text),
      isTTY: options.answer !== undefined && options.answer !== null,
    },
    clock: () => options.now ?? NOW,
    iamClient: () => loopbackIamClient(fake.endpoint),
    ask:
      options.answer === undefined || options.answer === null
        ? null
        : async (question: string) => {
            questions.push(question);
            return options.answer ?? '';
          },
  } as Parameters<typeof main>[1]);
  return { code, stdout, stderr, questions };
}

function lines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const records = (text: string) => lines(text).filter((l) => l.kind === 'record');
const deleted = () =>
  fake
    .requestsOf('iam', 'DeleteLoginProfile')
    .map((r) => r.params?.get('UserName'))
    .sort();
const EXEMPT_COMMA_NAME = ['--exempt-users', '["svc,ops"]'];

describe('stale-iam disable: a dry run unless --enforce', () => {
  it('re-checks live and lists what it would do, writing nothing to IAM; exit 0', async () => {
    const run = await disable([...EXEMPT_COMMA_NAME]);

    expect(run.code).toBe(DISABLE_EXIT.complete);
    expect(deleted()).toEqual([]);
    expect(fake.requestsOf('iam', 'UpdateAccessKey')).toEqual([]);
    expect(records(run.stdout).map((r) => [r.userName, r.outcome])).toEqual([
      ['breakglass', 'exempt'],
      ['svc,ops', 'exempt'],
      ['aoi', 'would-delete'],
      ['ren', 'would-delete'],
    ]);
    expect(
      fake
        .requestsOf('iam', 'GetUser')
        .map((r) => r.params?.get('UserName'))
        .sort(),
    ).toEqual(['aoi', 'ren']);
    expect(run.stderr).toContain('dry run on account 123456789012, nothing is changed (--enforce acts)');
    // The same lines are in the audit file.
    expect(records(readFileSync(auditFile, 'utf8'))).toEqual(records(run.stdout));
  });

  it('takes keys too with --credentials all, deactivating (never deleting) them', async () => {
    const run = await disable([
      ...EXEMPT_COMMA_NAME,
      '--credentials',
      'all',
      '--enforce',
      '--yes',
      '--max-percent',
      '50',
    ]);

    expect(run.code).toBe(DISABLE_EXIT.complete);
    expect(
      fake
        .requestsOf('iam', 'UpdateAccessKey')
        .map((r) => [r.params?.get('AccessKeyId'), r.params?.get('Status')]),
    ).toEqual([['AKIAEXAMPLECI0000001', 'Inactive']]);
    expect(fake.users.find((u) => u.name === 'ci')?.accessKeys?.[0]?.status).toBe('Inactive');
    expect(records(run.stdout).find((r) => r.userName === 'ci')?.undo).toBe(
      "aws iam update-access-key --user-name='ci' --access-key-id='AKIAEXAMPLECI0000001' --status Active",
    );
  });
});

describe('stale-iam disable --enforce', () => {
  it('with --yes deletes the stale passwords, each intent on disk before its delete, and says how to undo it', async () => {
    const run = await disable([...EXEMPT_COMMA_NAME, '--enforce', '--yes']);

    expect(run.code).toBe(DISABLE_EXIT.complete);
    expect(deleted()).toEqual(['aoi', 'ren']);
    const trail = lines(readFileSync(auditFile, 'utf8'));
    expect(trail.map((l) => [l.kind, l.userName ?? null])).toEqual([
      ['run', null],
      ['intent', 'aoi'],
      ['outcome', 'aoi'],
      ['intent', 'ren'],
      ['outcome', 'ren'],
      ['record', 'breakglass'],
      ['record', 'svc,ops'],
      ['record', 'aoi'],
      ['record', 'ren'],
    ]);
    expect(trail.find((l) => l.kind === 'record' && l.userName === 'ren')?.undo).toBe(
      "aws iam create-login-profile --user-name='ren' --password '<new temporary password>' --password-reset-required",
    );
    expect(fake.users.find((u) => u.name === 'breakglass')?.loginProfile).toBeDefined();
    expect(fake.users.find((u) => u.name === 'svc,ops')?.loginProfile).toBeDefined();
  });

  it('keeps a password an administrator reset yesterday: the api scan plans it, the re-check reads the reset in the credential report', async () => {
    const ren = fake.users.find((u) => u.name === 'ren');
    if (!ren?.loginProfile) throw new Error('ren has a console password in this population');
    ren.loginProfile.lastChangedAt = daysAgo(1);

    const run = await disable([...EXEMPT_COMMA_NAME, '--enforce', '--yes']);

    expect(deleted()).toEqual(['aoi']);
    expect(records(run.stdout).find((r) => r.userName === 'ren')).toEqual(
      expect.objectContaining({
        outcome: 'skipped-used-since',
        reason: { code: 'password-reset', at: daysAgo(1).toISOString() },
        before: expect.objectContaining({
          loginProfileCreateDate: daysAgo(800).toISOString(),
          passwordLastChanged: daysAgo(1).toISOString(),
        }),
      }),
    );
    expect(run.code).toBe(DISABLE_EXIT.complete);
  });

  it('does not even plan a password reset yesterday with the credential-report source: the scan sees the reset', async () => {
    const ren = fake.users.find((u) => u.name === 'ren');
    if (!ren?.loginProfile) throw new Error('ren has a console password in this population');
    ren.loginProfile.lastChangedAt = daysAgo(1);

    const run = await disable([...EXEMPT_COMMA_NAME, '--source', 'credential-report', '--enforce', '--yes']);

    expect(deleted()).toEqual(['aoi']);
    expect(records(run.stdout).map((r) => r.userName)).not.toContain('ren');
    expect(run.code).toBe(DISABLE_EXIT.complete);
  });

  it('refuses to act without a terminal to confirm at unless --yes: exit 2, nothing read or written', async () => {
    const run = await disable(['--enforce']);

    expect(run.code).toBe(DISABLE_EXIT.usage);
    expect(run.stderr).toBe(
      'stale-iam: --enforce without a terminal to confirm at needs --yes (nothing was done)\n',
    );
    expect(fake.requestsOf('iam')).toEqual([]);
    expect(existsSync(auditFile)).toBe(false);
  });

  it('shows the plan and asks at a terminal; anything but "yes" does nothing: exit 6', async () => {
    const run = await disable([...EXEMPT_COMMA_NAME, '--enforce'], { answer: 'y' });

    expect(run.code).toBe(DISABLE_EXIT.declined);
    expect(run.questions).toEqual([
      'Take these 2 credentials away in account 123456789012? Type "yes" to go on: ',
    ]);
    expect(run.stderr).toContain('  ren  password  delete-login-profile');
    expect(run.stderr).toContain('not confirmed: nothing was done');
    expect(deleted()).toEqual([]);
    expect(fake.requestsOf('iam', 'GetUser')).toEqual([]);
  });

  it('acts once the person at the terminal types yes', async () => {
    const run = await disable([...EXEMPT_COMMA_NAME, '--enforce'], { answer: 'yes' });

    expect(run.code).toBe(DISABLE_EXIT.complete);
    expect(deleted()).toEqual(['aoi', 'ren']);
  });

  it('never acts on a partial scan: exit 3 and no IAM write', async () => {
    await fake.close();
    fake = await startFakeAws({
      users: [...population(), consoleUser('locked', 300, { deny: ['GetLoginProfile'] })],
    });

    const run = await disable(['--source', 'api', '--enforce', '--yes', ...EXEMPT_COMMA_NAME]);

    expect(run.code).toBe(DISABLE_EXIT.partial);
    expect(run.stderr).toContain('NO ACTION TAKEN: 1 of 9 users could not be evaluated by the scan.');
    expect(deleted()).toEqual([]);
    expect(fake.requestsOf('iam', 'GetUser')).toEqual([]);
    expect(
      records(run.stdout)
        .filter((r) => r.outcome === 'skipped-scan-error')
        .map((r) => r.userName),
    ).toEqual(['aoi', 'ren']);
  });

  it('refuses a plan over a cap: exit 5 and no IAM write', async () => {
    const run = await disable(['--enforce', '--yes', '--max-actions', '1', ...EXEMPT_COMMA_NAME]);

    expect(run.code).toBe(DISABLE_EXIT.refused);
    expect(run.stderr).toContain(
      'NO ACTION TAKEN: 2 actions planned, more than the cap of 1 per run (maxActionsPerRun).',
    );
    expect(deleted()).toEqual([]);
  });

  it('acts on nothing under the floor, as the service', async () => {
    const run = await disable([
      '--enforce',
      '--yes',
      '--days',
      '7',
      ...EXEMPT_COMMA_NAME,
      '--max-percent',
      '100',
    ]);

    expect(run.code).toBe(DISABLE_EXIT.refused);
    expect(run.stderr).toContain(
      'NO ACTION TAKEN: the threshold of 7 days is under the floor of 30 days (minEnforceDays).',
    );
    expect(deleted()).toEqual([]);
  });

  it('reports an intent a killed earlier run left in the audit file as outcome unknown: exit 1', async () => {
    writeFileSync(
      auditFile,
      `${JSON.stringify({
        kind: 'intent',
        runId: '20261127T000000000Z-deadbeef',
        seq: 1,
        time: '2026-11-27T00:00:01.000Z',
        userName: 'old-user',
        arn: 'arn:aws:iam::123456789012:user/old-user',
        credential: { type: 'password', accessKeyId: null, slot: null },
        action: 'delete-login-profile',
        before: { passwordLastUsed: null },
        undo: "aws iam create-login-profile --user-name='old-user' --password '<new temporary password>' --password-reset-required",
      })}\n`,
    );

    const run = await disable([...EXEMPT_COMMA_NAME]);

    expect(run.code).toBe(DISABLE_EXIT.failed);
    expect(run.stderr).toContain(
      'OUTCOME UNKNOWN: old-user delete-login-profile: run 20261127T000000000Z-deadbeef stopped after its intent at 2026-11-27T00:00:01.000Z: check CloudTrail',
    );
    const settled = lines(readFileSync(auditFile, 'utf8')).filter((l) => l.kind === 'outcome');
    expect(settled).toEqual([
      expect.objectContaining({ userName: 'old-user', outcome: 'outcome-unknown', seq: 1 }),
    ]);
    // Settled once: the next run has nothing to report.
    expect((await disable([...EXEMPT_COMMA_NAME])).code).toBe(DISABLE_EXIT.complete);
  });
});

describe('stale-iam disable: exemptions and settings', () => {
  it('reads exemption flags as one name or a JSON array, names with commas included, and paths and groups', async () => {
    const run = await disable([
      '--exempt-users',
      'ren',
      '--exempt-users',
      '["svc,ops","mei"]',
      '--exempt-paths',
      'nobody-here',
      '--exempt-groups',
      '["admins"]',
    ]);

    expect(run.code).toBe(DISABLE_EXIT.complete);
    expect(records(run.stdout).map((r) => [r.userName, r.outcome])).toEqual([
      ['breakglass', 'exempt'],
      ['ren', 'exempt'],
      ['svc,ops', 'exempt'],
      ['aoi', 'would-delete'],
    ]);
  });

  it('takes the service settings from a file of deploy parameters, flags adding to its lists', async () => {
    const file = path.join(dir, 'settings.json');
    writeFileSync(
      file,
      JSON.stringify({ exemptUserNames: ['aoi'], maxActionsPerRun: 5, minEnforceDays: 60 }),
    );

    const run = await disable(['--settings', file, ...EXEMPT_COMMA_NAME]);

    expect(
      records(run.stdout)
        .filter((r) => r.outcome === 'exempt')
        .map((r) => r.userName),
    ).toEqual(['aoi', 'breakglass', 'svc,ops']);
  });

  it.each([
    [
      ['--settings', 'SETTINGS'],
      '{"maxPrecent": 10}',
      /unknown setting "maxPrecent"; did you mean "maxPercent"\?/,
    ],
    [
      ['--settings', 'SETTINGS'],
      '{"exemptUserNames": "svc;ops"}',
      /exemptUserNames in .* must be a JSON array of IAM user names/,
    ],
    [
      ['--exempt-users', 'svc;ops'],
      null,
      /^stale-iam: --exempt-users: "svc;ops" is not a legal IAM user name/,
    ],
    [['--exempt-users', 'svc,ops'], null, /could be one name or several; repeat the flag/],
    // A user tagged exempt is never touched by hand either.
    [['--ignore-exempt-tag'], null, /Unknown option '--ignore-exempt-tag' \(see stale-iam disable --help\)/],
    [
      ['--credential-report', 'FILE', '--profile', 'prod'],
      null,
      /--profile and --region apply to live sources/,
    ],
    [['--credential-report', 'FILE', '--enforce'], null, /--credential-report gives a plan only/],
    [['--now', '2026-12-01', '--enforce', '--yes'], null, /--now is for a dry run/],
    [['--days', '0'], null, /--days must be a whole number from 1 to 3650, got "0"/],
    [['--credentials', 'keys'], null, /--credentials must be one of all, password, access-key, got "keys"/],
  ])('refuses %p with one line, exit 2, before any AWS call', async (args, settings, message) => {
    const file = path.join(dir, 'settings.json');
    if (settings !== null) writeFileSync(file, settings);
    const run = await disable(
      args.map((a) => (a === 'SETTINGS' ? file : a === 'FILE' ? path.join(dir, 'x.csv') : a)),
    );

    expect(run.code).toBe(DISABLE_EXIT.usage);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(fake.requestsOf('iam')).toEqual([]);
  });
});

describe('stale-iam disable --credential-report FILE', () => {
  it('gives a plan only: no AWS call, no audit file, the planned actions on stdout', async () => {
    const csv = path.join(dir, 'report.csv');
    writeFileSync(
      csv,
      credentialReportCsv(
        '123456789012',
        population().filter((u) => !u.name.includes(',')),
        (u) => `arn:aws:iam::123456789012:user/${u.name}`,
      ),
    );

    const run = await disable(['--credential-report', csv, '--max-percent', '100']);

    expect(run.code).toBe(DISABLE_EXIT.complete);
    expect(fake.requestsOf('iam')).toEqual([]);
    expect(existsSync(auditFile)).toBe(false);
    // Offline, the tag is unknown: breakglass is planned here, and a live run would skip it.
    expect(lines(run.stdout).map((l) => [l.kind, l.userName])).toEqual([
      ['planned', 'aoi'],
      ['planned', 'breakglass'],
      ['planned', 'ren'],
    ]);
    expect(run.stderr).toContain('a plan from a file only: tags and groups are not known offline');
  });

  it('warns on stderr that a report AWS generated days ago is judged as of now', async () => {
    const json = path.join(dir, 'report.json');
    const csv = credentialReportCsv(
      '123456789012',
      population().filter((u) => !u.name.includes(',')),
      (u) => `arn:aws:iam::123456789012:user/${u.name}`,
    );
    const generatedAt = new Date(NOW.getTime() - 3 * 86_400_000).toISOString().replace('.000Z', 'Z');
    writeFileSync(
      json,
      JSON.stringify({
        Content: Buffer.from(csv).toString('base64'),
        ReportFormat: 'text/csv',
        GeneratedTime: generatedAt,
      }),
    );

    const run = await disable(['--credential-report', json, '--max-percent', '100']);

    expect(run.code).toBe(DISABLE_EXIT.complete);
    expect(run.stderr).toContain(
      `warning: the credential report was generated by AWS at ${generatedAt}, 3 days before`,
    );
    expect(run.stdout).not.toContain('generated by AWS');
  });
});

describe('the stale-iam binary', () => {
  const env = () => ({
    AWS_ENDPOINT_URL: fake.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBINARY',
    AWS_SECRET_ACCESS_KEY: 'binary-secret',
    AWS_CONFIG_FILE: path.join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });

  it('will not act when run without a terminal and without --yes (a CI job, a pipe): exit 2', async () => {
    const run = await runCliBinary(['disable', '--enforce', '--audit-file', auditFile], env());

    expect(run.code).toBe(DISABLE_EXIT.usage);
    expect(run.stderr).toBe(
      'stale-iam: --enforce without a terminal to confirm at needs --yes (nothing was done)\n',
    );
    expect(fake.requestsOf('iam')).toEqual([]);
  });

  it('acts with --yes, and lists the command in its usage', async () => {
    const run = await runCliBinary(
      ['disable', '--source', 'api', '--enforce', '--yes', ...EXEMPT_COMMA_NAME, '--audit-file', auditFile],
      env(),
    );
    const help = await runCliBinary(['--help']);

    expect(run.code).toBe(DISABLE_EXIT.complete);
    expect(deleted()).toEqual(['aoi', 'ren']);
    expect(help.stdout).toContain('disable  take stale console passwords away, a dry run unless --enforce');
  });
});
