import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeAws, type FakeAws, type FakeAwsUser } from '../support/fake-aws-server';
import { runInvokeLocal, type InvokeLocalRun } from '../support/invoke-local';
import { generateUsers } from '../../tools/fakes/generate-users';

/**
 * The zips the real `osls package` builds, run by scripts/invoke-local.mjs as a child process (what
 * an operator or a grader runs) through the compiled template's own state machine, against a
 * loopback endpoint speaking the real IAM, SSM, S3 and SNS wire protocols. Nothing here calls the
 * handlers directly: every assertion is on what reached the endpoint, what the script printed and
 * how it exited.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'invoke-local.mjs');
const ACCOUNT_ID = '123456789012';
/** What CloudFormation would name the ReportBucket of the stack stale-iam-local, without its random suffix. */
const BUCKET = 'stale-iam-local-reportbucket';
const TOPIC = 'stale-iam-local';
const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT_ID}:${TOPIC}`;
const THRESHOLD_PARAMETER = '/stale-iam/local/threshold-days';
const MODE_PARAMETER = '/stale-iam/local/remediation-mode';
const KEYS_PARAMETER = '/stale-iam/local/deactivate-access-keys';
const DAY_MS = 86_400_000;
const RUN_TIMEOUT_MS = 120_000;

interface ScriptRecord {
  status: string;
  steps: { state: string; output?: Record<string, unknown>; error?: string }[];
  alert: { subject: string; message: string; topicArn: string; published: boolean } | null;
  error: string | null;
}

type ScriptRun = InvokeLocalRun<ScriptRecord>;

let fake: FakeAws | undefined;
let workDir: string;

beforeEach(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'stale-iam-e2e-'));
});

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  rmSync(workDir, { recursive: true, force: true });
});

/** Asynchronous on purpose: the fake endpoint lives in this process and must keep answering. */
function invokeLocal(args: string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  const endpoint = fake?.endpoint;
  if (!endpoint) throw new Error('start the fake endpoint first');
  const nowhere = path.join(workDir, 'no-aws-config');
  return runInvokeLocal<ScriptRecord>(
    args,
    {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCALE2E',
      AWS_SECRET_ACCESS_KEY: 'local-e2e-secret',
      AWS_CONFIG_FILE: nowhere,
      AWS_SHARED_CREDENTIALS_FILE: nowhere,
      AWS_EC2_METADATA_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      ...env,
    },
    path.join(workDir, 'run.json'),
  );
}

/** The generated population, evaluated half a day later: no credential sits on the threshold. */
function population(): FakeAwsUser[] {
  return generateUsers(60, new Date(Date.now() - 12 * 3_600_000));
}

/** Users with a console password last used (or set) before now minus 90 days: what enforce must remove. */
function stalePasswordHolders(users: readonly FakeAwsUser[], thresholdDays = 90): string[] {
  const threshold = Date.now() - thresholdDays * DAY_MS;
  return users
    .filter((u) => {
      if (!u.loginProfile) return false;
      const reference = Math.max(u.passwordLastUsedAt?.getTime() ?? 0, u.loginProfile.createdAt.getTime());
      return reference < threshold;
    })
    .map((u) => u.name)
    .sort();
}

/** Fails with the script's stderr, which says what went wrong, instead of a bare exit code. */
function expectSuccess(run: ScriptRun): void {
  if (run.code !== 0) throw new Error(`invoke-local exited with ${run.code}:\n${run.stderr}`);
}

function objectKeys(prefix: string): string[] {
  return [...(fake?.buckets.get(BUCKET)?.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort();
}

function jsonObject<T>(key: string): T {
  const text = fake?.objectText(BUCKET, key);
  if (text === undefined) throw new Error(`no object s3://${BUCKET}/${key}`);
  return JSON.parse(text) as T;
}

interface StoredReport {
  accountId: string;
  thresholdDays: number;
  summary: { users: number; stale: number };
  users: { userName: string; status: string }[];
}

interface AuditLine {
  userName: string;
  action: string;
  outcome: string;
  undo: string | null;
}

/** The run's record of every credential it considered: the one `records.jsonl` of the run's audit folder. */
function auditLines(): { key: string; lines: AuditLine[]; objects: string[] } {
  const objects = objectKeys(`audit/${ACCOUNT_ID}/`);
  const records = objects.filter((k) => k.endsWith('/records.jsonl'));
  expect(records).toEqual([
    expect.stringMatching(
      new RegExp(`^audit/${ACCOUNT_ID}/\\d{4}/\\d{2}/\\d{2}/disable-[0-9T-]+Z-[0-9a-f-]+/records\\.jsonl$`),
    ),
  ]);
  const key = records[0] ?? '';
  const text = fake?.objectText(BUCKET, key) ?? '';
  return {
    key,
    objects,
    lines: text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as AuditLine & { kind: string })
      .filter((line) => line.kind === 'record'),
  };
}

function usersOf(service: 'iam', action: string): string[] {
  return (fake?.requestsOf(service, action) ?? []).map((r) => r.params?.get('UserName') ?? '').sort();
}

describe('invoke-local: the packaged functions and state machine against a local AWS endpoint', () => {
  it('runs the zips osls built with the esbuild options of serverless.yml: minified CommonJS, the AWS SDK inside', async () => {
    const packageOnly = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [SCRIPT, '--package-only', '--package-dir', workDir],
        { cwd: ROOT, encoding: 'utf8', timeout: RUN_TIMEOUT_MS },
        (e, out) => (e ? reject(e) : resolve(out)),
      ),
    );

    const { functions } = JSON.parse(packageOnly) as {
      functions: { logicalId: string; codeDir: string; files: string[] }[];
    };
    expect(functions.map((f) => f.logicalId)).toEqual([
      'NotifyLambdaFunction',
      'RenderLambdaFunction',
      'ScanLambdaFunction',
    ]);
    for (const fn of functions) {
      // One bundle per function and nothing else: no source map (sourcemap: false), no node_modules.
      expect(fn.files).toHaveLength(1);
      const code = readFileSync(path.join(fn.codeDir, fn.files[0] ?? ''), 'utf8');
      expect(code.startsWith('"use strict";')).toBe(true); // format: cjs
      expect(code).toContain('module.exports');
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000); // minify: true
      expect(code).not.toContain('sourceMappingURL');
      // exclude: [] bundles the AWS SDK v3; keepNames keeps its class names.
      expect(code).toContain('"S3Client"');
      expect(code).not.toMatch(/require\("@aws-sdk\/client-/);
    }
  });

  it('sets up a fresh endpoint, scans 60 users into S3 and publishes one email whose subject counts the stale', async () => {
    fake = await startFakeAws({ users: population(), maxPageSize: 25, authorizationDetailsPageSize: 25 });

    const run = await invokeLocal(['--setup'], { THRESHOLD_DAYS: '90' });

    expectSuccess(run);
    // --setup made what the stack holds.
    expect(fake.requestsOf('s3', 'CreateBucket').map((r) => r.bucket)).toEqual([BUCKET]);
    expect(fake.requestsOf('sns', 'CreateTopic').map((r) => r.params?.get('Name'))).toEqual([TOPIC]);
    expect(fake.parameters.get(THRESHOLD_PARAMETER)?.value).toBe('90');
    // The scan read the threshold through SSM and IAM through the credential report.
    const ssmReads = fake.requestsOf('ssm', 'GetParameters').map((r) => r.input?.Names);
    expect(ssmReads).toEqual([[THRESHOLD_PARAMETER]]);
    expect(fake.requestsOf('iam', 'GetCredentialReport')).toHaveLength(1);
    expect(fake.requestsOf('iam', 'GetAccountAuthorizationDetails').length).toBeGreaterThanOrEqual(3);

    const [csvKey, htmlKey, jsonKey] = objectKeys('reports/');
    expect(jsonKey).toMatch(new RegExp(`^reports/${ACCOUNT_ID}/\\d{4}/\\d{2}/\\d{2}/scan-[0-9T-]+Z\\.json$`));
    expect(csvKey).toBe(jsonKey?.replace(/\.json$/, '.csv'));
    const report = jsonObject<StoredReport>(jsonKey ?? '');
    expect(report.accountId).toBe(ACCOUNT_ID);
    expect(report.thresholdDays).toBe(90);
    expect(report.summary.users).toBe(60);
    expect(report.summary.stale).toBeGreaterThan(0);
    expect(report.summary.stale).toBeLessThan(60);
    const csv = fake.objectText(BUCKET, csvKey ?? '') ?? '';
    for (const user of report.users) expect(csv).toContain(user.userName);

    expect(fake.published).toHaveLength(1);
    const [email] = fake.published;
    expect(email?.topicArn).toBe(TOPIC_ARN);
    const subject = /^\[stale-iam\] (\d+) of 60 users unused for more than 90 days \(123456789012\)$/.exec(
      email?.subject ?? '',
    );
    expect(subject?.[1]).toBe(String(report.summary.stale));
    expect(email?.message).toContain(`s3://${BUCKET}/${jsonKey}`);
    for (const user of report.users.filter((u) => u.status === 'stale')) {
      expect(email?.message).toContain(user.userName);
    }

    // Render wrote the page beside the report and this run's history entry; the email links to it.
    expect(htmlKey).toBe(jsonKey?.replace(/\.json$/, '.html'));
    const page = fake.objectText(BUCKET, htmlKey ?? '') ?? '';
    expect(page).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'');
    expect(page).toContain(`<title>stale-iam report: ${ACCOUNT_ID}</title>`);
    expect(objectKeys('history/')).toEqual([
      expect.stringMatching(new RegExp(`^history/${ACCOUNT_ID}/\\d{10}-`)),
    ]);
    expect(email?.message).toContain(
      `https://s3.console.aws.amazon.com/s3/object/${BUCKET}?region=us-east-1&prefix=${encodeURIComponent(htmlKey ?? '')}`,
    );

    expect(run.record.steps.map((s) => s.state)).toEqual(['Scan', 'Render', 'Notify']);
    expect(run.record.steps[1]?.output).toEqual({ bucket: BUCKET, key: htmlKey });
    expect(run.record.steps[2]?.output).toEqual({
      published: true,
      subject: email?.subject,
      messageId: email?.messageId,
    });
    expect(run.stdout).toContain('=== Scan: result ===');
    expect(run.stdout).toContain('=== Notify: result ===');
    // No disable step deployed: no IAM write of any kind.
    expect(fake.requestsOf('iam', 'DeleteLoginProfile')).toHaveLength(0);
    expect(fake.requestsOf('iam', 'UpdateAccessKey')).toHaveLength(0);
  });

  it('fails on threshold "abc" with the one-line error, writes nothing, emails nothing and shows the alert', async () => {
    fake = await startFakeAws({
      users: population(),
      parameters: { [THRESHOLD_PARAMETER]: 'abc' },
      buckets: [BUCKET],
      topics: [TOPIC],
    });

    const run = await invokeLocal([]);

    expect(run.code).toBe(1);
    const message =
      'InvalidConfigError: threshold days (SSM parameter /stale-iam/local/threshold-days) must be a whole ' +
      'number from 1 to 3650, got "abc"';
    expect(run.stderr.trim().split('\n').pop()).toBe(`Scan failed: ${message}`);
    expect(run.record.status).toBe('FAILED');
    expect(run.record.steps).toEqual([{ state: 'Scan', error: message }]);
    expect(fake.requestsOf('s3', 'PutObject')).toHaveLength(0);
    expect(fake.requestsOf('iam')).toHaveLength(0);
    expect(fake.requestsOf('sns', 'Publish')).toHaveLength(0);
    // What the state machine's AlertFailure would send, shown but not sent.
    expect(run.record.alert?.subject).toBe('[stale-iam] run failed (local)');
    expect(run.record.alert?.topicArn).toBe(TOPIC_ARN);
    expect(run.record.alert?.published).toBe(false);
    expect(run.record.alert?.message).toContain('Error: InvalidConfigError\n');
    expect(run.record.alert?.message).toContain('"errorMessage":"threshold days (SSM parameter');
    expect(run.record.alert?.message).toContain(`Reports: s3://${BUCKET}/reports/`);
    expect(run.stdout).toContain('Subject: [stale-iam] run failed (local)');
  });

  it('publishes the failure alert, and only that, with --publish-alert', async () => {
    fake = await startFakeAws({
      users: population(),
      parameters: { [THRESHOLD_PARAMETER]: 'abc' },
      buckets: [BUCKET],
      topics: [TOPIC],
    });

    const run = await invokeLocal(['--publish-alert'], { TOPIC_ARN });

    expect(run.code).toBe(1);
    expect(fake.requestsOf('s3', 'PutObject')).toHaveLength(0);
    expect(fake.published.map((p) => p.subject)).toEqual(['[stale-iam] run failed (local)']);
    expect(fake.published[0]?.message).toBe(run.record.alert?.message);
    expect(fake.published[0]?.message).toContain('Error: InvalidConfigError');
  });

  describe('with the disable step deployed (--remediation)', () => {
    const exemptByTag = 0;
    const exemptByGroup = 1;

    /** Two stale password holders are exempt: one by tag, one by group. */
    function populationWithExemptions(): { users: FakeAwsUser[]; stale: string[]; exempt: string[] } {
      const users = population();
      const stale = stalePasswordHolders(users);
      const tagged = users.find((u) => u.name === stale[exemptByTag]);
      const grouped = users.find((u) => u.name === stale[exemptByGroup]);
      if (!tagged || !grouped) throw new Error('the population has too few stale passwords');
      tagged.tags = { 'stale-iam:exempt': 'true', team: 'ops' };
      grouped.groups = ['developers', 'break-glass'];
      return { users, stale, exempt: [tagged.name, grouped.name].sort() };
    }

    /** Deploy parameters of this deployment: caps out of the way, members of break-glass exempt. */
    const remediationParams = [
      '--param',
      'maxActionsPerRun=1000',
      '--param',
      'maxPercent=100',
      '--param',
      'exemptGroupNames=["break-glass"]',
    ];

    it('in enforce mode deletes exactly the stale, non-exempt login profiles, audits them and says so', async () => {
      const { users, stale, exempt } = populationWithExemptions();
      const expected = stale.filter((name) => !exempt.includes(name));
      const profilesBefore = users.filter((u) => u.loginProfile).map((u) => u.name);
      fake = await startFakeAws({
        users,
        parameters: { [THRESHOLD_PARAMETER]: '90', [MODE_PARAMETER]: 'enforce', [KEYS_PARAMETER]: 'false' },
        buckets: [BUCKET],
        versionedBuckets: [BUCKET],
        topics: [TOPIC],
      });

      const run = await invokeLocal(['--remediation', ...remediationParams]);

      expectSuccess(run);
      expect(run.record.steps.map((s) => s.state)).toEqual(['Scan', 'Disable', 'Render', 'Notify']);
      expect(expected.length).toBeGreaterThan(3);
      expect(usersOf('iam', 'DeleteLoginProfile')).toEqual(expected);
      expect(fake.requestsOf('iam', 'UpdateAccessKey')).toHaveLength(0);
      const profilesAfter = fake.users.filter((u) => u.loginProfile).map((u) => u.name);
      expect(profilesAfter).toEqual(profilesBefore.filter((name) => !expected.includes(name)));
      for (const name of exempt) expect(profilesAfter).toContain(name);

      const audit = auditLines();
      const deleted = audit.lines.filter((l) => l.outcome === 'deleted');
      expect(deleted.map((l) => l.userName).sort()).toEqual(expected);
      for (const line of deleted) expect(line.undo).toContain('aws iam create-login-profile');
      // Written ahead: one intent and one outcome object per delete, beside the run's record.
      expect(audit.objects.filter((k) => k.endsWith('-intent.json'))).toHaveLength(expected.length);
      expect(audit.objects.filter((k) => k.endsWith('-outcome.json'))).toHaveLength(expected.length);
      // Each audit object was written with If-None-Match: *: none existed before, none was replaced.
      expect(fake.requestsOf('s3', 'PutObject').filter((r) => r.key?.startsWith('audit/'))).toHaveLength(
        audit.objects.length,
      );
      // The disable step read the report at the version the scan wrote, and counted the account's users.
      const reportKey = objectKeys('reports/').find((k) => k.endsWith('.json'));
      const written = fake.versions.get(BUCKET)?.get(reportKey ?? '')?.[0]?.versionId;
      const reads = fake.requestsOf('s3', 'GetObject').filter((r) => r.key === reportKey);
      expect(written).toEqual(expect.any(String));
      // (render and notify, which act on nothing, read the latest.)
      expect(reads.filter((r) => r.versionId === written)).toHaveLength(1);
      expect(reads.filter((r) => r.versionId !== written && r.versionId !== undefined)).toEqual([]);
      expect(fake.requestsOf('iam', 'GetAccountSummary')).toHaveLength(1);
      const exemptLines = audit.lines.filter((l) => l.outcome === 'exempt').map((l) => l.userName);
      expect(exemptLines.sort()).toEqual(exempt);
      expect(audit.lines.filter((l) => l.outcome !== 'deleted' && l.outcome !== 'exempt')).toEqual([]);

      expect(fake.published).toHaveLength(1);
      expect(fake.published[0]?.subject).toContain(`; ${expected.length} credentials disabled`);
      expect(fake.published[0]?.message).toContain(`s3://${BUCKET}/${audit.key}`);
    });

    it('in dry-run mode sends no DeleteLoginProfile at all and audits what it would do', async () => {
      const { users, stale, exempt } = populationWithExemptions();
      const expected = stale.filter((name) => !exempt.includes(name));
      fake = await startFakeAws({
        users,
        parameters: { [THRESHOLD_PARAMETER]: '90', [MODE_PARAMETER]: 'dry-run', [KEYS_PARAMETER]: 'false' },
        buckets: [BUCKET],
        versionedBuckets: [BUCKET],
        topics: [TOPIC],
      });

      const run = await invokeLocal(['--remediation', ...remediationParams]);

      expectSuccess(run);
      expect(fake.requestsOf('iam', 'DeleteLoginProfile')).toHaveLength(0);
      expect(fake.requestsOf('iam', 'UpdateAccessKey')).toHaveLength(0);
      for (const name of stale) expect(fake.users.find((u) => u.name === name)?.loginProfile).toBeDefined();
      const audit = auditLines();
      const wouldDelete = audit.lines.filter((l) => l.outcome === 'would-delete').map((l) => l.userName);
      expect(wouldDelete.sort()).toEqual(expected);
      expect(fake.published).toHaveLength(1);
      expect(fake.published[0]?.subject).toContain(`; ${expected.length} credentials would be disabled`);
      expect(fake.published[0]?.message).toContain(`s3://${BUCKET}/${audit.key}`);
    });
  });
});
