import {
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { ActionRecord } from '../../../src/domain/remediation/execute';
import type { ScanReport, UserEntry } from '../../../src/domain/report/scan-report';
import { createDisableHandler } from '../../../src/functions/disable/handler';
import { scanResultOf, type ScanResult } from '../../../src/contracts/scan-result';
import { AwsWriteError, InvalidConfigError, InvalidInputError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { contextFor } from '../../support/lambda-context';
import {
  AUDIT_RECORDS_KEY,
  AUDIT_RUN_PREFIX,
  RUN_AT,
  exemptUser,
  keyWithId,
  capShare,
} from '../../support/remediation-builders';
import {
  ACCOUNT_ID,
  LOCATION,
  accessKey,
  activeUser,
  buildReport,
  daysBeforeEvaluation,
  errorUser,
  password,
  staleUser,
} from '../../support/report-builder';
import { awsError, rejectionOf } from '../../support/rejection';
import { sdkUser } from '../../support/iam-sdk-builders';
import { defaultSettingsEnvironment } from '../../support/function-environment';
import { MemoryS3 } from '../../support/memory-s3';
import {
  credentialReportCsv,
  serveCredentialReport,
  type ReportRow,
} from '../../support/credential-report-fixture';

const THRESHOLD_PARAMETER = '/stale-iam/test/threshold-days';
const MODE_PARAMETER = '/stale-iam/test/remediation-mode';
const KEYS_PARAMETER = '/stale-iam/test/deactivate-access-keys';
const BUCKET = LOCATION.bucket;
/** The disable function as deployed with every default: passwords only, no key deactivation. */
const ENV = {
  ...defaultSettingsEnvironment('disable'),
  REPORT_BUCKET: BUCKET,
  THRESHOLD_DAYS_PARAMETER: THRESHOLD_PARAMETER,
  REMEDIATION_MODE_PARAMETER: MODE_PARAMETER,
  MAX_ACTIONS: '10',
  MAX_PERCENT: '20',
  EXEMPT_USER_NAMES: '[]',
  EXEMPT_PATH_PREFIXES: '["/breakglass/"]',
  EXEMPT_GROUP_NAMES: '[]',
};
/** Deployed with accessKeyDeactivation=true: the key switch exists in SSM and is read. */
const WITH_KEYS_ENV = {
  ...ENV,
  ACCESS_KEY_DEACTIVATION: 'true',
  DEACTIVATE_ACCESS_KEYS_PARAMETER: KEYS_PARAMETER,
};
const SVC_KEY = 'AKIAEXAMPLESVC000001';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Ten console users of whom ren is stale (10%), six key holders of whom svc's key is stale (17%). */
function freshConsoleUsers(n: number, prefix = 'fresh'): UserEntry[] {
  return Array.from({ length: n }, (_, i) =>
    activeUser(`${prefix}-${String(i).padStart(2, '0')}`, password(3)),
  );
}
const USERS: UserEntry[] = [
  staleUser('ren', password(180)),
  ...freshConsoleUsers(9),
  staleUser('svc', keyWithId(1, SVC_KEY, 300)),
  ...Array.from({ length: 5 }, (_, i) => activeUser(`ci-${i}`, accessKey(1, 1))),
];
const REPORT = buildReport(USERS);

const iam = mockClient(IAMClient);
const ssm = mockClient(SSMClient);
const s3 = mockClient(S3Client);
let bucket: MemoryS3;

function liveSettings(mode: string, deactivateAccessKeys = 'false', threshold = '90'): void {
  ssm.on(GetParametersCommand).resolves({
    Parameters: [
      { Name: THRESHOLD_PARAMETER, Type: 'String', Value: threshold },
      { Name: MODE_PARAMETER, Type: 'String', Value: mode },
      { Name: KEYS_PARAMETER, Type: 'String', Value: deactivateAccessKeys },
    ],
    InvalidParameters: [],
  });
}

/** Stores the report as the scan would (a new version) and returns the scan's result for it. */
function scanResultFor(report: ScanReport, key = LOCATION.key): ScanResult {
  const versionId = bucket.store(key, JSON.stringify(report));
  return scanResultOf(report, { ...LOCATION, key, csvKey: key.replace(/\.json$/, '.csv'), versionId });
}

/** IAM's count of the account's users (GetAccountSummary). */
function accountHasUsers(count: number): void {
  iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Users: count } });
}

/** IAM answers the re-check of ren (stale password) and svc (stale key) with what the scan saw. */
function serveLiveState(): void {
  iam.on(GetUserCommand).rejects(new NoSuchEntityException({ message: 'no such user', $metadata: {} }));
  iam.on(GetUserCommand, { UserName: 'ren' }).resolves({
    User: sdkUser('ren', { PasswordLastUsed: new Date(daysBeforeEvaluation(180)) }),
  });
  iam.on(GetLoginProfileCommand, { UserName: 'ren' }).resolves({
    LoginProfile: {
      UserName: 'ren',
      CreateDate: new Date('2024-01-15T09:30:00Z'),
      PasswordResetRequired: false,
    },
  });
  iam.on(GetUserCommand, { UserName: 'svc' }).resolves({
    User: sdkUser('svc'),
  });
  iam.on(ListAccessKeysCommand, { UserName: 'svc' }).resolves({
    AccessKeyMetadata: [
      {
        UserName: 'svc',
        AccessKeyId: SVC_KEY,
        Status: 'Active',
        CreateDate: new Date(daysBeforeEvaluation(730)),
      },
    ],
    IsTruncated: false,
  });
  iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: SVC_KEY }).resolves({
    UserName: 'svc',
    AccessKeyLastUsed: {
      LastUsedDate: new Date(daysBeforeEvaluation(300)),
      ServiceName: 's3',
      Region: 'us-east-1',
    },
  });
  iam.on(DeleteLoginProfileCommand).resolves({});
  iam.on(UpdateAccessKeyCommand).resolves({});
  serveCredentialReport(iam, credentialReportCsv(ACCOUNT_ID, REPORT_ROWS));
}

/** The account's credential report: ren's and aoi's passwords as old as their profiles (never reset). */
const REPORT_ROWS: ReportRow[] = [
  ...['ren', 'aoi'].map((user) => ({
    user,
    password: { setAt: '2024-01-15T09:30:00+00:00', lastUsedAt: reportInstant(daysBeforeEvaluation(180)) },
  })),
  {
    user: 'svc',
    key1: { active: true, createdAt: reportInstant(daysBeforeEvaluation(730)), lastUsedAt: null },
  },
];

/** An instant as the credential report writes it (`2026-06-01T00:00:00+00:00`). */
function reportInstant(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, '+00:00');
}

function disableHandler(env: NodeJS.ProcessEnv = ENV, clock: () => Date = () => RUN_AT) {
  return createDisableHandler({
    iam: new IAMClient({}),
    s3: new S3Client({}),
    ssm: new SSMClient({}),
    clock,
    env,
  });
}

/** The lines of one JSON-lines object of the trail. */
function jsonLines(key: string): Record<string, unknown>[] {
  const text = bucket.latest(key);
  if (text === undefined)
    throw new Error(`no audit object ${key}; the trail has ${bucket.keys('audit/').join(', ')}`);
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The run's record of every credential it considered. */
function auditRecords(key = AUDIT_RECORDS_KEY): ActionRecord[] {
  return jsonLines(key)
    .filter((line) => line.kind === 'record')
    .map((line) => {
      const record = { ...line };
      delete record.kind;
      delete record.reasonText;
      return record as unknown as ActionRecord;
    });
}

function expectNoIamWrite(): void {
  expect(iam).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 0);
  expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 0);
}

/** Zero actions: no IAM write, no re-check of anyone, nothing in the audit trail. */
function expectZeroActions(): void {
  expectNoIamWrite();
  expect(iam).toHaveReceivedCommandTimes(GetUserCommand, 0);
  expect(bucket.keys('audit/')).toEqual([]);
}

beforeAll(() => {
  logger.setLogLevel('SILENT');
});

beforeEach(() => {
  iam.reset();
  ssm.reset();
  s3.reset();
  bucket = new MemoryS3(s3, BUCKET).install();
  serveLiveState();
  accountHasUsers(USERS.length);
});

afterEach(() => {
  // Whatever the mode: stale-iam never deletes users or keys.
  expect(iam).toHaveReceivedCommandTimes(DeleteUserCommand, 0);
  expect(iam).toHaveReceivedCommandTimes(DeleteAccessKeyCommand, 0);
});

describe('disable handler: the settings come live from SSM', () => {
  it('reads the threshold and the mode from the configured parameters, and the key switch only when key deactivation is deployed', async () => {
    liveSettings('dry-run');

    const without = await disableHandler()(scanResultFor(REPORT), contextFor());
    const withKeys = await disableHandler(WITH_KEYS_ENV)(
      scanResultFor(REPORT),
      contextFor({ awsRequestId: 'second-run' }),
    );

    const names = ssm
      .commandCalls(GetParametersCommand)
      .map((c) => [...(c.args[0].input.Names ?? [])].sort());
    expect(names).toEqual([
      [MODE_PARAMETER, THRESHOLD_PARAMETER],
      [KEYS_PARAMETER, MODE_PARAMETER, THRESHOLD_PARAMETER],
    ]);
    expect(without.remediation.mode).toBe('dry-run');
    expect(without.remediation.deactivateAccessKeys).toBe(false);
    expect(withKeys.remediation.deactivateAccessKeys).toBe(false);
  });

  it('takes dry-run set in SSM into account on the very next invocation of a warm function', async () => {
    const handler = disableHandler();
    liveSettings('enforce');
    await handler(scanResultFor(REPORT), contextFor({ awsRequestId: 'run-1' }));
    expect(iam).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 1);
    iam.resetHistory();

    liveSettings('dry-run');
    const second = await handler(scanResultFor(REPORT), contextFor({ awsRequestId: 'run-2' }));

    expectNoIamWrite();
    expect(second.remediation.mode).toBe('dry-run');
    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 2);
  });

  it('never deactivates a key when key deactivation is not deployed, whatever a switch says', async () => {
    liveSettings('enforce', 'true');

    await disableHandler()(scanResultFor(REPORT), contextFor());

    expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 0);
    expect(iam).toHaveReceivedCommandTimes(ListAccessKeysCommand, 0);
    expect(auditRecords().some((r) => r.userName === 'svc')).toBe(false);
  });
});

describe('disable handler: dry-run', () => {
  it('makes no IAM write and records would-delete lines in the audit trail', async () => {
    liveSettings('dry-run');

    await disableHandler()(scanResultFor(REPORT), contextFor());

    expectNoIamWrite();
    const records = auditRecords();
    expect(records.map((r) => [r.userName, r.action, r.outcome, r.mode])).toEqual([
      ['ren', 'delete-login-profile', 'would-delete', 'dry-run'],
    ]);
    expect(records[0]?.undo).toBeNull();
    // No IAM write, so no intent or outcome object: only the run's records.
    expect(bucket.keys('audit/')).toEqual([AUDIT_RECORDS_KEY]);
  });

  it('still re-checks live state in dry-run, so the preview matches what enforce would do', async () => {
    liveSettings('dry-run');

    await disableHandler()(scanResultFor(REPORT), contextFor());

    expect(iam).toHaveReceivedCommandWith(GetUserCommand, { UserName: 'ren' });
    expect(iam).toHaveReceivedCommandWith(GetLoginProfileCommand, { UserName: 'ren' });
  });

  it('previews key deactivations too when deployed and switched on, still writing nothing to IAM', async () => {
    liveSettings('dry-run', 'true');

    const result = await disableHandler(WITH_KEYS_ENV)(scanResultFor(REPORT), contextFor());

    expectNoIamWrite();
    expect(auditRecords().map((r) => [r.userName, r.outcome])).toEqual([
      ['ren', 'would-delete'],
      ['svc', 'would-deactivate'],
    ]);
    expect(result.remediation.counts).toEqual({ 'would-delete': 1, 'would-deactivate': 1 });
  });
});

describe('disable handler: enforce', () => {
  it('deletes the stale password and records it, intent first, then outcome, then the run record', async () => {
    liveSettings('enforce');

    await disableHandler()(scanResultFor(REPORT), contextFor());

    expect(iam).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 1);
    expect(iam).toHaveReceivedCommandWith(DeleteLoginProfileCommand, { UserName: 'ren' });
    const expected: ActionRecord = {
      time: RUN_AT.toISOString(),
      mode: 'enforce',
      userName: 'ren',
      arn: `arn:aws:iam::${ACCOUNT_ID}:user/ren`,
      credential: { type: 'password', accessKeyId: null, slot: null },
      action: 'delete-login-profile',
      outcome: 'deleted',
      reason: null,
      before: {
        passwordLastUsed: daysBeforeEvaluation(180),
        loginProfileCreateDate: '2024-01-15T09:30:00.000Z',
        passwordResetRequired: false,
        passwordLastChanged: '2024-01-15T09:30:00.000Z',
        credentialReportGeneratedAt: '2026-11-27T22:14:05.000Z',
      },
      undo: "aws iam create-login-profile --user-name='ren' --password '<new temporary password>' --password-reset-required",
    };
    expect(auditRecords()).toEqual([expected]);
    expect(bucket.keys('audit/')).toEqual([
      `${AUDIT_RUN_PREFIX}0001-intent.json`,
      `${AUDIT_RUN_PREFIX}0001-outcome.json`,
      AUDIT_RECORDS_KEY,
    ]);
    expect(jsonLines(`${AUDIT_RUN_PREFIX}0001-intent.json`)).toEqual([
      expect.objectContaining({
        kind: 'intent',
        seq: 1,
        userName: 'ren',
        undo: expected.undo,
        before: expected.before,
      }),
    ]);
    expect(jsonLines(`${AUDIT_RUN_PREFIX}0001-outcome.json`)).toEqual([
      expect.objectContaining({ kind: 'outcome', seq: 1, userName: 'ren', outcome: 'deleted' }),
    ]);
  });

  it('writes every audit object with If-None-Match: * and its length, never an empty body', async () => {
    liveSettings('enforce');

    await disableHandler()(scanResultFor(REPORT), contextFor());

    const audits = s3
      .commandCalls(PutObjectCommand)
      .map((c) => c.args[0].input)
      .filter((i) => i.Key?.startsWith('audit/'));
    expect(audits).toHaveLength(3);
    for (const input of audits) {
      expect(input.IfNoneMatch).toBe('*');
      expect(input.ContentLength).toBe(Buffer.byteLength(String(input.Body)));
      expect(input.ContentLength).toBeGreaterThan(0);
      expect(input.ObjectLockMode).toBeUndefined();
    }
  });

  it('puts each audit object in governance mode for auditRetentionDays when Object Lock is deployed', async () => {
    liveSettings('enforce');

    await disableHandler({ ...ENV, AUDIT_OBJECT_LOCK: 'true', AUDIT_RETENTION_DAYS: '2000' })(
      scanResultFor(REPORT),
      contextFor(),
    );

    const audits = s3
      .commandCalls(PutObjectCommand)
      .map((c) => c.args[0].input)
      .filter((i) => i.Key?.startsWith('audit/'));
    expect(audits.map((i) => [i.ObjectLockMode, i.ObjectLockRetainUntilDate?.toISOString()])).toEqual(
      Array.from({ length: 3 }, () => [
        'GOVERNANCE',
        new Date(RUN_AT.getTime() + 2000 * DAY_MS).toISOString(),
      ]),
    );
  });

  it('leaves stale access keys alone while the key switch is false', async () => {
    liveSettings('enforce', 'false');

    await disableHandler(WITH_KEYS_ENV)(scanResultFor(REPORT), contextFor());

    expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 0);
    expect(iam).toHaveReceivedCommandTimes(ListAccessKeysCommand, 0);
    expect(auditRecords().some((r) => r.userName === 'svc')).toBe(false);
  });

  it('deactivates the stale key, never deleting it, when deployed and the key switch says true', async () => {
    liveSettings('enforce', 'TRUE');

    const result = await disableHandler(WITH_KEYS_ENV)(scanResultFor(REPORT), contextFor());

    expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 1);
    expect(iam).toHaveReceivedCommandWith(UpdateAccessKeyCommand, {
      UserName: 'svc',
      AccessKeyId: SVC_KEY,
      Status: 'Inactive',
    });
    const svc = auditRecords().find((r) => r.userName === 'svc');
    expect(svc?.outcome).toBe('deactivated');
    expect(svc?.undo).toBe(
      `aws iam update-access-key --user-name='svc' --access-key-id='${SVC_KEY}' --status Active`,
    );
    expect(result.remediation.counts).toEqual({ deleted: 1, deactivated: 1 });
  });

  it('skips a password used since the scan', async () => {
    liveSettings('enforce');
    iam.on(GetUserCommand, { UserName: 'ren' }).resolves({
      User: sdkUser('ren', { PasswordLastUsed: new Date('2026-11-28T00:01:00Z') }),
    });

    const result = await disableHandler()(scanResultFor(REPORT), contextFor());

    expectNoIamWrite();
    expect(auditRecords().map((r) => r.outcome)).toEqual(['skipped-used-since']);
    expect(result.remediation.counts).toEqual({ 'skipped-used-since': 1 });
  });

  it("keeps a password an administrator reset yesterday: the credential report's password_last_changed, not LoginProfile.CreateDate", async () => {
    liveSettings('enforce');
    iam.on(GetUserCommand, { UserName: 'ren' }).resolves({
      User: sdkUser('ren', { PasswordLastUsed: new Date(RUN_AT.getTime() - 200 * DAY_MS) }),
    });
    iam.on(GetLoginProfileCommand, { UserName: 'ren' }).resolves({
      LoginProfile: { UserName: 'ren', CreateDate: new Date(RUN_AT.getTime() - 200 * DAY_MS) },
    });
    const resetAt = new Date(Math.floor((RUN_AT.getTime() - DAY_MS) / 1000) * 1000);
    serveCredentialReport(
      iam,
      credentialReportCsv(ACCOUNT_ID, [
        {
          user: 'ren',
          password: {
            setAt: reportInstant(resetAt.toISOString()),
            lastUsedAt: reportInstant(new Date(RUN_AT.getTime() - 200 * DAY_MS).toISOString()),
          },
        },
      ]),
    );

    const result = await disableHandler()(scanResultFor(REPORT), contextFor());

    expectNoIamWrite();
    const [ren] = auditRecords();
    expect(ren?.outcome).toBe('skipped-used-since');
    expect(ren?.reason).toEqual({ code: 'password-reset', at: resetAt.toISOString() });
    expect(jsonLines(AUDIT_RECORDS_KEY).find((l) => l.kind === 'record')?.reasonText).toBe(
      `password set again at ${resetAt.toISOString()} (credential report), so not idle`,
    );
    expect(result.remediation.items).toEqual([
      expect.objectContaining({ userName: 'ren', outcome: 'skipped-used-since', reason: ren?.reason }),
    ]);
  });

  it('deletes no password when the credential report cannot be read, saying why, and still deactivates a stale key', async () => {
    liveSettings('enforce', 'true');
    iam
      .on(GenerateCredentialReportCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform iam:GenerateCredentialReport'));

    const result = await disableHandler(WITH_KEYS_ENV)(scanResultFor(REPORT), contextFor());

    expect(iam).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 0);
    expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 1);
    const reason = {
      code: 'credential-report-unavailable',
      error:
        'AwsReadError: generating the credential report failed: AccessDenied: not authorized to perform iam:GenerateCredentialReport',
    };
    expect(auditRecords().map((r) => [r.userName, r.outcome, r.reason])).toEqual([
      ['ren', 'failed', reason],
      ['svc', 'deactivated', null],
    ]);
    expect(result.remediation.counts).toEqual({ failed: 1, deactivated: 1 });
    expect(result.remediation.items[0]).toEqual(expect.objectContaining({ userName: 'ren', reason }));
  });

  it('never touches a user the scan reported exempt, nor one tagged exempt since, whatever the case of the tag key', async () => {
    liveSettings('enforce');
    const report = buildReport([
      exemptUser('breakglass', 'path /breakglass/ is under exempt prefix /breakglass/', password(400)),
      staleUser('ren', password(180)),
      ...freshConsoleUsers(18),
    ]);
    iam.on(GetUserCommand, { UserName: 'ren' }).resolves({
      User: sdkUser('ren', {
        PasswordLastUsed: new Date(daysBeforeEvaluation(180)),
        Tags: [{ Key: 'Stale-IAM:Exempt', Value: 'true' }],
      }),
    });
    accountHasUsers(report.users.length);

    await disableHandler()(scanResultFor(report), contextFor());

    expectNoIamWrite();
    expect(iam).not.toHaveReceivedCommandWith(GetUserCommand, { UserName: 'breakglass' });
    expect(auditRecords().map((r) => [r.userName, r.outcome, r.reason])).toEqual([
      ['breakglass', 'exempt', { code: 'exempt-in-report' }],
      ['ren', 'exempt', { code: 'exempt-now', cause: { kind: 'tag' } }],
    ]);
  });
});

describe('disable handler: a bad setting stops everything before anything is read', () => {
  it.each([
    [
      'enforcee',
      'false',
      `remediation mode (SSM parameter ${MODE_PARAMETER}) must be one of dry-run, enforce, got "enforcee"`,
    ],
    [
      'ENFORCE',
      'false',
      `remediation mode (SSM parameter ${MODE_PARAMETER}) must be one of dry-run, enforce, got "ENFORCE"`,
    ],
    [
      'enforce',
      'yes',
      `deactivate access keys (SSM parameter ${KEYS_PARAMETER}) must be true or false, got "yes"`,
    ],
  ])(
    'rejects mode %p with key switch %p, making no IAM call and writing nothing',
    async (mode, keys, message) => {
      liveSettings(mode, keys);
      const event = scanResultFor(REPORT);

      const error = await rejectionOf(disableHandler(WITH_KEYS_ENV)(event, contextFor()));

      expect(error).toBeInstanceOf(InvalidConfigError);
      expect(error.message).toBe(message);
      expect(iam.calls()).toHaveLength(0);
      expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
      expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    },
  );

  it.each([['abc'], ['0'], ['-5'], ['']])(
    'rejects a threshold of %p in SSM before reading the report',
    async (threshold) => {
      liveSettings('enforce', 'false', threshold);

      const error = await rejectionOf(disableHandler()(scanResultFor(REPORT), contextFor()));

      expect(error).toBeInstanceOf(InvalidConfigError);
      expect(error.message).toMatch(
        /^threshold days \(SSM parameter \/stale-iam\/test\/threshold-days\) must be a whole number/,
      );
      expect(iam.calls()).toHaveLength(0);
      expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    },
  );

  it('rejects a missing mode parameter, saying which one does not exist', async () => {
    ssm.on(GetParametersCommand).resolves({
      Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String', Value: '90' }],
      InvalidParameters: [MODE_PARAMETER],
    });

    const error = await rejectionOf(disableHandler()(scanResultFor(REPORT), contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toContain(`parameter ${MODE_PARAMETER} does not exist`);
    expect(iam.calls()).toHaveLength(0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('rejects when no parameter name is configured for the key switch of a deployment with key deactivation, without calling SSM or IAM', async () => {
    const error = await rejectionOf(
      disableHandler({ ...WITH_KEYS_ENV, DEACTIVATE_ACCESS_KEYS_PARAMETER: undefined })(
        scanResultFor(REPORT),
        contextFor(),
      ),
    );

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe('no SSM parameter name configured for deactivateAccessKeys');
    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 0);
    expect(iam.calls()).toHaveLength(0);
  });

  it.each([
    ['MAX_ACTIONS', 'ten', 'MAX_ACTIONS must be a whole number from 0 to 10000, got "ten"'],
    ['MAX_PERCENT', '101', 'MAX_PERCENT must be a whole number from 0 to 100, got "101"'],
    ['MIN_ENFORCE_DAYS', '0', 'MIN_ENFORCE_DAYS must be a whole number from 1 to 3650, got "0"'],
    [
      'EXEMPT_USER_NAMES',
      'svc-breakglass;ops-oncall',
      'EXEMPT_USER_NAMES must be a JSON array of IAM user names such as ["alice","bob"], or empty, got "svc-breakglass;ops-oncall"',
    ],
    [
      'EXEMPT_USER_NAMES',
      'svc-breakglass,ops-oncall',
      'EXEMPT_USER_NAMES must be a JSON array of IAM user names such as ["alice","bob"], or empty, got "svc-breakglass,ops-oncall"',
    ],
    [
      'EXEMPT_GROUP_NAMES',
      '["admins","break glass"]',
      'EXEMPT_GROUP_NAMES: "break glass" is not a legal IAM group name (1 to 128 letters, digits and +=,.@_-)',
    ],
    [
      'EXEMPT_PATH_PREFIXES',
      '["/break*glass/"]',
      'EXEMPT_PATH_PREFIXES: "/break*glass/" is not a legal IAM path prefix (printable ASCII without spaces, * or ?, up to 512 characters)',
    ],
  ])(
    'rejects %s=%p before reading anything: zero actions, and the reason for the alert',
    async (name, value, message) => {
      liveSettings('enforce');

      const error = await rejectionOf(
        disableHandler({ ...ENV, [name]: value })(scanResultFor(REPORT), contextFor()),
      );

      expect(error).toBeInstanceOf(InvalidConfigError);
      expect(error.message).toBe(message);
      expect(iam.calls()).toHaveLength(0);
      expect(ssm.calls()).toHaveLength(0);
      expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
      expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
    },
  );

  it('rejects an event without the report location, making no IAM call', async () => {
    liveSettings('enforce');

    const error = await rejectionOf(disableHandler()({} as ScanResult, contextFor()));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(iam.calls()).toHaveLength(0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });
});

/**
 * The report and the event cross a boundary: whoever can write under reports/ or invoke the
 * function could hand over something else. Each of these reaches the failure alert with its reason
 * and acts on nobody.
 */
describe('disable handler: a report it cannot trust means zero actions and an alert saying why', () => {
  const where = (event: ScanResult) =>
    `s3://${BUCKET}/${event.report.key} (version ${event.report.versionId})`;

  it('refuses a report whose threshold is not the one in SSM now (1 day instead of 90)', async () => {
    liveSettings('enforce');
    const tampered = buildReport(
      [
        staleUser('ren', password(180)),
        staleUser('sota', password(3, { thresholdDays: 1 })),
        ...freshConsoleUsers(8),
      ],
      { thresholdDays: 1 },
    );
    const event = scanResultFor(tampered);

    const error = await rejectionOf(disableHandler()(event, contextFor()));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(
      `disable refuses report ${where(event)}: it was judged with a threshold of 1 days, but the threshold in SSM is 90 days now; no IAM change was made`,
    );
    expectZeroActions();
  });

  it.each([
    ['missing', undefined],
    ['"abc"', 'abc'],
    ['0', 0],
    ['negative', -30],
  ])('refuses a report whose thresholdDays is %s', async (_what, threshold) => {
    liveSettings('enforce');
    const json = { ...JSON.parse(JSON.stringify(REPORT)), thresholdDays: threshold } as Record<
      string,
      unknown
    >;
    const versionId = bucket.store(LOCATION.key, JSON.stringify(json));

    const error = await rejectionOf(
      disableHandler()(scanResultOf(REPORT, { ...LOCATION, versionId }), contextFor()),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/thresholdDays/);
    expectZeroActions();
  });

  it('refuses a report whose summary hides its scan errors (summary.errors 0, partial false)', async () => {
    liveSettings('enforce');
    const withError = buildReport([...USERS, errorUser('locked-down', 'AccessDenied: iam:ListAccessKeys')]);
    const hidden = { ...withError, partial: false, summary: { ...withError.summary, errors: 0 } };

    const error = await rejectionOf(disableHandler()(scanResultFor(hidden), contextFor()));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('summary.errors is 0, but the users listed give 1');
    expectZeroActions();
  });

  it('refuses a report padded with users the account does not have, which would slip under the share cap', async () => {
    liveSettings('enforce');
    // 3 stale of 10 holders is over the cap; padded with 10 invented fresh users, 3 of 20 would pass.
    const real = [
      ...Array.from({ length: 3 }, (_, i) => staleUser(`idle-${i}`, password(200))),
      ...freshConsoleUsers(7),
    ];
    const padded = buildReport([...real, ...freshConsoleUsers(10, 'invented')]);
    accountHasUsers(real.length);
    const event = scanResultFor(padded);

    const error = await rejectionOf(disableHandler()(event, contextFor()));

    expect(error.message).toBe(
      `disable refuses report ${where(event)}: it lists 20 users, but the account has 10 (padded, or users deleted since the scan); no IAM change was made`,
    );
    expectZeroActions();
  });

  it('refuses a report listing a user of another account', async () => {
    liveSettings('enforce');
    const foreign: UserEntry = {
      ...staleUser('mallory', password(200)),
      arn: 'arn:aws:iam::999999999999:user/mallory',
    };
    const event = scanResultFor(buildReport([foreign, ...freshConsoleUsers(9)]));

    const error = await rejectionOf(disableHandler()(event, contextFor()));

    expect(error.message).toContain(
      'user "mallory" has the ARN "arn:aws:iam::999999999999:user/mallory", which is not a user of this account',
    );
    expectZeroActions();
  });

  it('refuses an event naming another bucket', async () => {
    liveSettings('enforce');
    const event = scanResultFor(REPORT);

    const error = await rejectionOf(
      disableHandler()({ ...event, report: { ...event.report, bucket: 'attacker-bucket' } }, contextFor()),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(`disable reads reports from its own bucket ${BUCKET}, not attacker-bucket`);
    expectZeroActions();
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
  });

  it('refuses an event naming the report of another account, even one filed under that account', async () => {
    liveSettings('enforce');
    const other = buildReport(
      USERS.map((u) => ({ ...u, arn: u.arn.replace(ACCOUNT_ID, '210987654321') })),
      { accountId: '210987654321' },
    );
    const event = scanResultFor(other, 'reports/210987654321/2026/11/28/scan-2026-11-28T000000Z.json');

    const error = await rejectionOf(disableHandler()(event, contextFor()));

    expect(error.message).toBe(
      `disable refuses report ${where(event)}: it is a report of account 210987654321, but this function runs in account ${ACCOUNT_ID}; no IAM change was made`,
    );
    expectZeroActions();
  });

  it('refuses an event naming a key the content of the report does not belong at', async () => {
    liveSettings('enforce');
    const event = scanResultFor(REPORT, `reports/${ACCOUNT_ID}/2026/11/27/scan-2026-11-27T000000Z.json`);

    const error = await rejectionOf(disableHandler()(event, contextFor()));

    expect(error.message).toContain(`its content belongs at ${LOCATION.key}, not at ${event.report.key}`);
    expectZeroActions();
  });

  it('refuses an event without the version the scan wrote', async () => {
    liveSettings('enforce');
    const event = scanResultFor(REPORT);
    const withoutVersion: Record<string, unknown> = { ...event.report };
    delete withoutVersion.versionId;

    const error = await rejectionOf(
      disableHandler()({ ...event, report: withoutVersion } as unknown as ScanResult, contextFor()),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/^disable: the report location has no S3 version id/);
    expectZeroActions();
  });

  it('refuses an old report replayed (evaluated more than an hour ago)', async () => {
    liveSettings('enforce');
    const event = scanResultFor(REPORT);
    const twoHoursLater = new Date(Date.parse(REPORT.evaluatedAt.toISOString()) + 2 * HOUR_MS);

    const error = await rejectionOf(disableHandler(ENV, () => twoHoursLater)(event, contextFor()));

    expect(error.message).toBe(
      `disable refuses report ${where(event)}: it was evaluated at 2026-11-28T00:00:00.000Z, 120 minutes ago; only the run's own scan (under 60 minutes old) is acted on; no IAM change was made`,
    );
    expectZeroActions();
  });

  it('refuses a report from the future', async () => {
    liveSettings('enforce');
    const event = scanResultFor(REPORT);
    const anHourEarlier = new Date(Date.parse(REPORT.evaluatedAt.toISOString()) - HOUR_MS);

    const error = await rejectionOf(disableHandler(ENV, () => anHourEarlier)(event, contextFor()));

    expect(error.message).toContain('its evaluatedAt 2026-11-28T00:00:00.000Z is in the future');
    expectZeroActions();
  });

  it('refuses to run when its own ARN does not tell the account', async () => {
    liveSettings('enforce');

    const error = await rejectionOf(
      disableHandler()(scanResultFor(REPORT), contextFor({ invokedFunctionArn: 'stale-iam-test-disable' })),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expectZeroActions();
  });

  it('reads exactly the version the scan wrote, not what another principal wrote to the key since', async () => {
    liveSettings('enforce');
    const event = scanResultFor(REPORT);
    // Written afterwards by someone else: ren fresh, and fresh-00 made stale.
    const overwrite = buildReport([
      activeUser('ren', password(3)),
      staleUser('fresh-00', password(400)),
      ...USERS.slice(2),
    ]);
    bucket.store(LOCATION.key, JSON.stringify(overwrite));

    await disableHandler()(event, contextFor());

    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Key: LOCATION.key,
      VersionId: event.report.versionId,
    });
    expect(iam).toHaveReceivedCommandWith(DeleteLoginProfileCommand, { UserName: 'ren' });
    expect(iam).not.toHaveReceivedCommandWith(GetUserCommand, { UserName: 'fresh-00' });
  });
});

describe('disable handler: guards that refuse the whole plan', () => {
  it('sends no IAM call at all after a scan with errors, recording skipped-scan-error', async () => {
    liveSettings('enforce', 'true');
    const report = buildReport([...USERS, errorUser('locked-down', 'AccessDenied: iam:ListAccessKeys')]);

    const result = await disableHandler(WITH_KEYS_ENV)(scanResultFor(report), contextFor());

    expect(iam.calls()).toHaveLength(0);
    expectNoIamWrite();
    expect(auditRecords().map((r) => [r.userName, r.outcome])).toEqual([
      ['ren', 'skipped-scan-error'],
      ['svc', 'skipped-scan-error'],
    ]);
    expect(result.remediation.blocked?.code).toBe('scan-errors');
    expect(result.remediation.counts).toEqual({ 'skipped-scan-error': 2 });
  });

  it('sends no IAM call at all when the plan exceeds the default cap of 10 actions, recording skipped-cap', async () => {
    liveSettings('enforce');
    const users = [
      ...Array.from({ length: 11 }, (_, i) => staleUser(`idle-${String(i).padStart(2, '0')}`, password(200))),
      ...freshConsoleUsers(49),
    ];

    const result = await disableHandler({
      ...ENV,
      MAX_ACTIONS: defaultSettingsEnvironment('disable').MAX_ACTIONS,
    })(scanResultFor(buildReport(users)), contextFor());

    expect(iam.calls()).toHaveLength(0);
    expect(auditRecords()).toHaveLength(11);
    expect(auditRecords().every((r) => r.outcome === 'skipped-cap')).toBe(true);
    expect(result.remediation.blocked).toEqual({ code: 'cap-actions', planned: 11, maxActions: 10 });
  });

  it('sends no IAM call at all when the plan exceeds the share of password holders', async () => {
    liveSettings('enforce');
    const report = buildReport([
      staleUser('a', password(200)),
      staleUser('b', password(200)),
      staleUser('c', password(200)),
      ...freshConsoleUsers(7),
    ]);

    const result = await disableHandler()(scanResultFor(report), contextFor());

    expect(iam.calls()).toHaveLength(0);
    expect(result.remediation.blocked).toEqual(capShare(3, 10, 2));
  });

  it('remediates a small account with the default caps: 2 stale of 6 console users among 10', async () => {
    liveSettings('enforce');
    const report = buildReport([
      staleUser('ren', password(180)),
      staleUser('aoi', password(180)),
      ...freshConsoleUsers(4),
      ...Array.from({ length: 4 }, (_, i) => activeUser(`robot-${i}`, accessKey(1, 1))),
    ]);
    accountHasUsers(10);
    iam.on(GetUserCommand, { UserName: 'aoi' }).resolves({
      User: sdkUser('aoi', { PasswordLastUsed: new Date(daysBeforeEvaluation(180)) }),
    });
    iam.on(GetLoginProfileCommand, { UserName: 'aoi' }).resolves({
      LoginProfile: { UserName: 'aoi', CreateDate: new Date('2024-01-15T09:30:00Z') },
    });

    const result = await disableHandler()(scanResultFor(report), contextFor());

    expect(result.remediation.blocked).toBeNull();
    expect(iam).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 2);
  });

  it('acts on nothing in enforce under the floor, saying so; a dry run still shows what it would do', async () => {
    const report = buildReport([staleUser('ren', password(180)), ...freshConsoleUsers(9)], {
      thresholdDays: 7,
    });

    liveSettings('enforce', 'false', '7');
    const enforced = await disableHandler()(
      scanResultFor(report),
      contextFor({ awsRequestId: 'enforce-run' }),
    );
    liveSettings('dry-run', 'false', '7');
    const dryRun = await disableHandler()(scanResultFor(report), contextFor({ awsRequestId: 'dry-run' }));

    expect(enforced.remediation.blocked).toEqual({
      code: 'below-floor',
      thresholdDays: 7,
      minEnforceDays: 30,
    });
    expect(enforced.remediation.counts).toEqual({ 'skipped-floor': 1 });
    expect(dryRun.remediation.blocked).toBeNull();
    expect(dryRun.remediation.belowFloor).toEqual({ thresholdDays: 7, minEnforceDays: 30 });
    expect(dryRun.remediation.counts).toEqual({ 'would-delete': 1 });
    expectNoIamWrite();
  });
});

describe('disable handler: an audit trail that cannot lose an action', () => {
  it('leaves an intent for a run killed after its first delete; the next run reports the outcome as unknown', async () => {
    liveSettings('enforce');
    const report = buildReport([
      staleUser('ren', password(180)),
      staleUser('aoi', password(180)),
      ...freshConsoleUsers(8),
    ]);
    iam.on(GetUserCommand, { UserName: 'aoi' }).resolves({
      User: sdkUser('aoi', { PasswordLastUsed: new Date(daysBeforeEvaluation(180)) }),
    });
    iam.on(GetLoginProfileCommand, { UserName: 'aoi' }).resolves({
      LoginProfile: { UserName: 'aoi', CreateDate: new Date('2024-01-15T09:30:00Z') },
    });
    // The Lambda is killed once the first delete is sent: its outcome is never written.
    const killed = bucket.holdPuts(/-outcome\.json$/);
    const abandoned = disableHandler()(scanResultFor(report), contextFor({ awsRequestId: 'killed-run' }));
    await waitFor(() => iam.commandCalls(DeleteLoginProfileCommand).length === 1);

    const killedRun = `audit/${ACCOUNT_ID}/2026/11/28/disable-2026-11-28T000512Z-killed-run/`;
    expect(bucket.keys('audit/')).toEqual([`${killedRun}0001-intent.json`]);
    killed.stopHolding();

    // The next day's run: a new scan, the same account.
    const nextDay = new Date(RUN_AT.getTime() + DAY_MS);
    const tomorrow = buildReport([activeUser('ren', password(3)), ...freshConsoleUsers(9)], {
      evaluatedAt: new Date(nextDay.getTime() - 5 * 60_000),
      generatedAt: new Date(nextDay.getTime() - 4 * 60_000),
    });
    const key = `reports/${ACCOUNT_ID}/2026/11/29/scan-2026-11-29T000012Z.json`;
    const result = await disableHandler(ENV, () => nextDay)(
      scanResultFor(tomorrow, key),
      contextFor({ awsRequestId: 'next-run' }),
    );

    const unknown = {
      code: 'outcome-unknown',
      runId: 'killed-run',
      intendedAt: RUN_AT.toISOString(),
    };
    expect(result.remediation.counts).toEqual({ 'outcome-unknown': 1 });
    expect(result.remediation.items).toEqual([
      {
        userName: 'ren',
        credential: { type: 'password', accessKeyId: null, slot: null },
        outcome: 'outcome-unknown',
        reason: unknown,
      },
    ]);
    // Settled in the folder of the run that was cut off, so later runs do not report it again.
    expect(jsonLines(`${killedRun}0001-outcome.json`)).toEqual([
      expect.objectContaining({
        kind: 'outcome',
        outcome: 'outcome-unknown',
        settledBy: 'next-run',
        reasonText: expect.stringContaining('check CloudTrail'),
      }),
    ]);
    const third = await disableHandler(ENV, () => nextDay)(
      scanResultFor(tomorrow, key),
      contextFor({ awsRequestId: 'third-run' }),
    );
    expect(third.remediation.counts).toEqual({});
    await endAbandoned(abandoned, killed);
  });

  it('does not take the intent of a run still within its time limit for a lost one', async () => {
    liveSettings('enforce');
    const stillRunning = bucket.holdPuts(/-outcome\.json$/);
    const running = disableHandler()(scanResultFor(REPORT), contextFor({ awsRequestId: 'still-running' }));
    await waitFor(() => iam.commandCalls(DeleteLoginProfileCommand).length === 1);
    stillRunning.stopHolding();

    const result = await disableHandler(ENV, () => new Date(RUN_AT.getTime() + 60_000))(
      scanResultFor(buildReport([activeUser('ren', password(3)), ...freshConsoleUsers(9)])),
      contextFor({ awsRequestId: 'overlapping-run' }),
    );

    expect(result.remediation.counts).toEqual({});
    await endAbandoned(running, stillRunning);
  });

  it('keeps both audit trails of two runs started in the same second', async () => {
    liveSettings('dry-run');

    await disableHandler()(scanResultFor(REPORT), contextFor({ awsRequestId: 'aaaa-1111' }));
    await disableHandler()(scanResultFor(REPORT), contextFor({ awsRequestId: 'bbbb-2222' }));

    const records = bucket.keys('audit/').filter((k) => k.endsWith('records.jsonl'));
    expect(records).toEqual([
      `audit/${ACCOUNT_ID}/2026/11/28/disable-2026-11-28T000512Z-aaaa-1111/records.jsonl`,
      `audit/${ACCOUNT_ID}/2026/11/28/disable-2026-11-28T000512Z-bbbb-2222/records.jsonl`,
    ]);
    for (const key of records) expect(auditRecords(key).map((r) => r.outcome)).toEqual(['would-delete']);
  });

  it('overwrites nothing: a run whose audit object exists already fails before any IAM write', async () => {
    liveSettings('enforce');
    bucket.store(`${AUDIT_RUN_PREFIX}0001-intent.json`, '{"kind":"intent","planted":true}\n');

    const result = await disableHandler()(scanResultFor(REPORT), contextFor());

    expectNoIamWrite();
    expect(result.remediation.counts).toEqual({ failed: 1 });
    expect(result.remediation.items[0]?.reason).toEqual({
      code: 'audit-unavailable',
      error: expect.stringContaining('exists already; it is never overwritten'),
    });
    expect(bucket.latest(`${AUDIT_RUN_PREFIX}0001-intent.json`)).toBe('{"kind":"intent","planted":true}\n');
  });

  it('stops starting actions near its time limit and records what it did not reach', async () => {
    liveSettings('enforce');
    const report = buildReport([
      staleUser('ren', password(180)),
      staleUser('aoi', password(180)),
      ...freshConsoleUsers(8),
    ]);
    let remaining = 900_000;
    iam.on(DeleteLoginProfileCommand).callsFake(() => {
      remaining = 60_000; // the first delete took most of the run
      return {};
    });

    const result = await disableHandler()(
      scanResultFor(report),
      contextFor({ getRemainingTimeInMillis: () => remaining }),
    );

    expect(iam).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 1);
    expect(result.remediation.counts).toEqual({ deleted: 1, 'not-reached': 1 });
    expect(auditRecords().find((r) => r.userName === 'aoi')?.reason).toEqual({ code: 'not-reached' });
  });

  it('fails loudly, naming the object, when the run record cannot be written', async () => {
    liveSettings('dry-run');
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'not authorized to perform: s3:PutObject'));

    const error = await rejectionOf(disableHandler()(scanResultFor(REPORT), contextFor()));

    expect(error).toBeInstanceOf(AwsWriteError);
    expect(error.message).toBe(
      `writing the audit trail s3://${BUCKET}/${AUDIT_RECORDS_KEY} failed: AccessDenied: not authorized to perform: s3:PutObject`,
    );
    expectNoIamWrite();
  });

  it('writes the run record, never empty, even when there is nothing to do', async () => {
    liveSettings('enforce');
    const report = buildReport(freshConsoleUsers(5));

    const result = await disableHandler()(scanResultFor(report), contextFor());

    expect(iam.calls()).toHaveLength(0);
    expect(auditRecords()).toEqual([]);
    expect(jsonLines(AUDIT_RECORDS_KEY)).toEqual([
      expect.objectContaining({ kind: 'run', runId: expect.any(String), mode: 'enforce', thresholdDays: 90 }),
    ]);
    expect(result.remediation.counts).toEqual({});
    expect(result.remediation.auditKey).toBe(AUDIT_RECORDS_KEY);
  });
});

describe('disable handler: the result', () => {
  it('returns the input plus the remediation summary', async () => {
    liveSettings('enforce');
    const event = scanResultFor(REPORT);

    const result = await disableHandler()(event, contextFor());

    expect(result).toEqual({
      ...event,
      remediation: {
        mode: 'enforce',
        deactivateAccessKeys: false,
        auditKey: AUDIT_RECORDS_KEY,
        blocked: null,
        belowFloor: null,
        counts: { deleted: 1 },
        items: [
          {
            userName: 'ren',
            credential: { type: 'password', accessKeyId: null, slot: null },
            outcome: 'deleted',
            reason: null,
          },
        ],
        itemsOmitted: 0,
      },
    });
  });

  it('stays small and free of words: no report, no undo commands, no English, whatever the account', async () => {
    liveSettings('enforce');
    iam.on(GetUserCommand, { UserName: 'ren' }).resolves({
      User: sdkUser('ren', { PasswordLastUsed: new Date('2026-11-28T00:01:00Z') }),
    });

    const result = await disableHandler()(scanResultFor(REPORT), contextFor());

    const text = JSON.stringify(result);
    expect(text).not.toContain('create-login-profile');
    expect(text).not.toContain('fresh-00');
    expect(text).not.toMatch(/after the scan|was used|no longer/);
    expect(result.remediation.items[0]?.reason).toEqual({
      code: 'used-since',
      basis: 'last-used',
      at: '2026-11-28T00:01:00.000Z',
    });
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
  });
});

/**
 * Once a test is done with a run it treated as killed: its hung write is ended, and the rest of it
 * allowed to finish, so the test process keeps none of its timers.
 */
async function endAbandoned(run: Promise<unknown>, hold: { release: () => void }): Promise<void> {
  hold.release();
  await run.catch(() => undefined);
}

/** Resolves once `condition` holds (the handler left running in the background got that far). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('the condition never held');
}
