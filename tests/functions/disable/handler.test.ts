import {
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clearCache } from '@middy/util';
import { mockClient } from 'aws-sdk-client-mock';
import type { ActionRecord } from '../../../src/domain/remediation/execute';
import type { ScanReport, UserEntry } from '../../../src/domain/report/scan-report';
import { createDisableHandler } from '../../../src/functions/disable/handler';
import { scanResultOf, type ScanResult } from '../../../src/contracts/scan-result';
import { AwsWriteError, InvalidConfigError, InvalidInputError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { contextFor } from '../../support/lambda-context';
import { RUN_AT, exemptUser, keyWithId } from '../../support/remediation-builders';
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
import { s3Body } from '../../support/s3-body';
import { sdkUser } from '../../support/iam-sdk-builders';
import { defaultSettingsEnvironment } from '../../support/function-environment';

const MODE_PARAMETER = '/stale-iam/test/remediation-mode';
const KEYS_PARAMETER = '/stale-iam/test/deactivate-access-keys';
const BUCKET = 'reports-bucket';
const AUDIT_KEY = `audit/${ACCOUNT_ID}/2026/11/28/disable-2026-11-28T000512Z.jsonl`;
const ENV = {
  ...defaultSettingsEnvironment('disable'),
  REPORT_BUCKET: BUCKET,
  REMEDIATION_MODE_PARAMETER: MODE_PARAMETER,
  DEACTIVATE_ACCESS_KEYS_PARAMETER: KEYS_PARAMETER,
  MAX_ACTIONS: '10',
  MAX_PERCENT: '20',
  EXEMPT_USER_NAMES: '[]',
  EXEMPT_PATH_PREFIXES: '["/breakglass/"]',
  EXEMPT_GROUP_NAMES: '[]',
};
const SVC_KEY = 'AKIAEXAMPLESVC000001';

/** Ten console users of whom ren is stale (10%), six key holders of whom svc's key is stale (17%). */
function freshConsoleUsers(n: number): UserEntry[] {
  return Array.from({ length: n }, (_, i) => activeUser(`fresh-${String(i).padStart(2, '0')}`, password(3)));
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

function scanResultFor(report: ScanReport): ScanResult {
  return scanResultOf(report, LOCATION);
}

function switches(mode: string, deactivateAccessKeys = 'false'): void {
  ssm.on(GetParametersCommand).resolves({
    Parameters: [
      { Name: MODE_PARAMETER, Type: 'String', Value: mode },
      { Name: KEYS_PARAMETER, Type: 'String', Value: deactivateAccessKeys },
    ],
    InvalidParameters: [],
  });
}

function storeReport(report: ScanReport): void {
  // A fresh stream per read: a GetObject body can be consumed only once.
  s3.on(GetObjectCommand, { Bucket: LOCATION.bucket, Key: LOCATION.key }).callsFake(() => ({
    Body: s3Body(JSON.stringify(report)),
  }));
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
}

/** Creates the handler; call it after the mocks are set up, because @middy/ssm prefetches on creation. */
function disableHandler(env: NodeJS.ProcessEnv = ENV) {
  return createDisableHandler({ iam: new IAMClient({}), s3: new S3Client({}), clock: () => RUN_AT, env });
}

function auditRecords(): ActionRecord[] {
  const audits = s3.commandCalls(PutObjectCommand).filter((c) => c.args[0].input.Key?.startsWith('audit/'));
  if (audits.length !== 1) throw new Error(`expected one audit object, got ${audits.length}`);
  const body = audits[0]?.args[0].input.Body;
  if (typeof body !== 'string') throw new Error('the audit body is not a string');
  return body
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ActionRecord);
}

function expectNoIamWrite(): void {
  expect(iam).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 0);
  expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 0);
}

beforeAll(() => {
  logger.setLogLevel('SILENT');
});

beforeEach(() => {
  iam.reset();
  ssm.reset();
  s3.reset();
  clearCache();
  s3.on(PutObjectCommand).resolves({ ETag: '"etag"' });
  storeReport(REPORT);
  serveLiveState();
});

afterEach(() => {
  clearCache();
  // Whatever the mode: stale-iam never deletes users or keys.
  expect(iam).toHaveReceivedCommandTimes(DeleteUserCommand, 0);
  expect(iam).toHaveReceivedCommandTimes(DeleteAccessKeyCommand, 0);
});

describe('disable handler: the mode comes from SSM', () => {
  it('reads the mode and the key switch from the configured parameters', async () => {
    switches('dry-run');
    const handler = disableHandler();

    const result = await handler(scanResultFor(REPORT), contextFor());

    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 1);
    const names = ssm.commandCalls(GetParametersCommand)[0]?.args[0].input.Names;
    expect([...(names ?? [])].sort()).toEqual([KEYS_PARAMETER, MODE_PARAMETER]);
    expect(result.remediation.mode).toBe('dry-run');
    expect(result.remediation.deactivateAccessKeys).toBe(false);
  });
});

describe('disable handler: dry-run', () => {
  it('makes no IAM write and writes an audit JSONL with would-delete lines', async () => {
    switches('dry-run');
    const handler = disableHandler();

    await handler(scanResultFor(REPORT), contextFor());

    expectNoIamWrite();
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: AUDIT_KEY,
      ContentType: 'application/x-ndjson',
    });
    const records = auditRecords();
    expect(records.map((r) => [r.userName, r.action, r.outcome, r.mode])).toEqual([
      ['ren', 'delete-login-profile', 'would-delete', 'dry-run'],
    ]);
    expect(records[0]?.undo).toBeNull();
  });

  it('still re-checks live state in dry-run, so the preview matches what enforce would do', async () => {
    switches('dry-run');
    const handler = disableHandler();

    await handler(scanResultFor(REPORT), contextFor());

    expect(iam).toHaveReceivedCommandWith(GetUserCommand, { UserName: 'ren' });
    expect(iam).toHaveReceivedCommandWith(GetLoginProfileCommand, { UserName: 'ren' });
  });

  it('previews key deactivations too when the key switch is on, still writing nothing to IAM', async () => {
    switches('dry-run', 'true');
    const handler = disableHandler();

    const result = await handler(scanResultFor(REPORT), contextFor());

    expectNoIamWrite();
    expect(auditRecords().map((r) => [r.userName, r.outcome])).toEqual([
      ['ren', 'would-delete'],
      ['svc', 'would-deactivate'],
    ]);
    expect(result.remediation.counts).toEqual({ 'would-delete': 1, 'would-deactivate': 1 });
  });
});

describe('disable handler: enforce', () => {
  it('deletes the stale password and writes the audit line with outcome deleted', async () => {
    switches('enforce');
    const handler = disableHandler();

    await handler(scanResultFor(REPORT), contextFor());

    expect(iam).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 1);
    expect(iam).toHaveReceivedCommandWith(DeleteLoginProfileCommand, { UserName: 'ren' });
    const [record] = auditRecords();
    expect(record).toEqual<ActionRecord>({
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
      },
      undo: "aws iam create-login-profile --user-name ren --password '<new temporary password>' --password-reset-required",
    });
  });

  it('leaves stale access keys alone while the key switch is false', async () => {
    switches('enforce', 'false');
    const handler = disableHandler();

    await handler(scanResultFor(REPORT), contextFor());

    expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 0);
    expect(iam).toHaveReceivedCommandTimes(ListAccessKeysCommand, 0);
    expect(auditRecords().some((r) => r.userName === 'svc')).toBe(false);
  });

  it('deactivates the stale key, never deleting it, when the key switch says true', async () => {
    switches('enforce', 'TRUE');
    const handler = disableHandler();

    const result = await handler(scanResultFor(REPORT), contextFor());

    expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 1);
    expect(iam).toHaveReceivedCommandWith(UpdateAccessKeyCommand, {
      UserName: 'svc',
      AccessKeyId: SVC_KEY,
      Status: 'Inactive',
    });
    const svc = auditRecords().find((r) => r.userName === 'svc');
    expect(svc?.outcome).toBe('deactivated');
    expect(svc?.undo).toBe(
      `aws iam update-access-key --user-name svc --access-key-id ${SVC_KEY} --status Active`,
    );
    expect(result.remediation.counts).toEqual({ deleted: 1, deactivated: 1 });
  });

  it('skips a password used since the scan', async () => {
    switches('enforce');
    iam.on(GetUserCommand, { UserName: 'ren' }).resolves({
      User: sdkUser('ren', { PasswordLastUsed: new Date('2026-11-28T00:01:00Z') }),
    });
    const handler = disableHandler();

    const result = await handler(scanResultFor(REPORT), contextFor());

    expectNoIamWrite();
    expect(auditRecords().map((r) => r.outcome)).toEqual(['skipped-used-since']);
    expect(result.remediation.counts).toEqual({ 'skipped-used-since': 1 });
  });

  it('never touches a user the scan reported exempt, nor one tagged exempt since', async () => {
    switches('enforce');
    const report = buildReport([
      exemptUser('breakglass', 'path /breakglass/ is under exempt prefix /breakglass/', password(400)),
      staleUser('ren', password(180)),
      ...freshConsoleUsers(18),
    ]);
    storeReport(report);
    iam.on(GetUserCommand, { UserName: 'ren' }).resolves({
      User: sdkUser('ren', {
        PasswordLastUsed: new Date(daysBeforeEvaluation(180)),
        Tags: [{ Key: 'stale-iam:exempt', Value: 'true' }],
      }),
    });
    const handler = disableHandler();

    await handler(scanResultFor(report), contextFor());

    expectNoIamWrite();
    expect(iam).not.toHaveReceivedCommandWith(GetUserCommand, { UserName: 'breakglass' });
    expect(auditRecords().map((r) => [r.userName, r.outcome])).toEqual([
      ['breakglass', 'exempt'],
      ['ren', 'exempt'],
    ]);
  });
});

describe('disable handler: a bad switch stops everything before IAM is read', () => {
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
      switches(mode, keys);
      const handler = disableHandler();

      const error = await rejectionOf(handler(scanResultFor(REPORT), contextFor()));

      expect(error).toBeInstanceOf(InvalidConfigError);
      expect(error.message).toBe(message);
      expect(iam.calls()).toHaveLength(0);
      expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
      expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    },
  );

  it('rejects a missing mode parameter, saying which one does not exist', async () => {
    ssm.on(GetParametersCommand).resolves({
      Parameters: [{ Name: KEYS_PARAMETER, Type: 'String', Value: 'false' }],
      InvalidParameters: [MODE_PARAMETER],
    });
    const handler = disableHandler();

    const error = await rejectionOf(handler(scanResultFor(REPORT), contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toContain(`parameter ${MODE_PARAMETER} does not exist`);
    expect(iam.calls()).toHaveLength(0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('rejects when no parameter name is configured for the key switch, without calling SSM or IAM', async () => {
    const handler = disableHandler({ ...ENV, DEACTIVATE_ACCESS_KEYS_PARAMETER: undefined });

    const error = await rejectionOf(handler(scanResultFor(REPORT), contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe('no SSM parameter name configured for deactivateAccessKeys');
    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 0);
    expect(iam.calls()).toHaveLength(0);
  });

  it.each([
    ['MAX_ACTIONS', 'ten', 'MAX_ACTIONS must be a whole number from 0 to 10000, got "ten"'],
    ['MAX_PERCENT', '101', 'MAX_PERCENT must be a whole number from 0 to 100, got "101"'],
  ])('rejects %s=%p before reading IAM', async (name, value, message) => {
    switches('enforce');
    const handler = disableHandler({ ...ENV, [name]: value });

    const error = await rejectionOf(handler(scanResultFor(REPORT), contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe(message);
    expect(iam.calls()).toHaveLength(0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('rejects an event without the report location, making no IAM call', async () => {
    switches('enforce');
    const handler = disableHandler();

    const error = await rejectionOf(handler({} as ScanResult, contextFor()));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(iam.calls()).toHaveLength(0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });
});

describe('disable handler: guards that refuse the whole plan', () => {
  it('sends no IAM call at all after a scan with errors, recording skipped-scan-error', async () => {
    switches('enforce', 'true');
    const report = buildReport([...USERS, errorUser('locked-down', 'AccessDenied: iam:ListAccessKeys')]);
    storeReport(report);
    const handler = disableHandler();

    const result = await handler(scanResultFor(report), contextFor());

    expect(iam.calls()).toHaveLength(0);
    expectNoIamWrite();
    expect(auditRecords().map((r) => [r.userName, r.outcome])).toEqual([
      ['ren', 'skipped-scan-error'],
      ['svc', 'skipped-scan-error'],
    ]);
    expect(result.remediation.blocked?.reason).toBe('scan-errors');
    expect(result.remediation.counts).toEqual({ 'skipped-scan-error': 2 });
  });

  it('sends no IAM call at all when the plan exceeds the default cap of 10 actions, recording skipped-cap', async () => {
    switches('enforce');
    const users = [
      ...Array.from({ length: 11 }, (_, i) => staleUser(`idle-${String(i).padStart(2, '0')}`, password(200))),
      ...freshConsoleUsers(49),
    ];
    const report = buildReport(users);
    storeReport(report);
    const handler = disableHandler({
      ...ENV,
      MAX_ACTIONS: defaultSettingsEnvironment('disable').MAX_ACTIONS,
    });

    const result = await handler(scanResultFor(report), contextFor());

    expect(iam.calls()).toHaveLength(0);
    expect(auditRecords()).toHaveLength(11);
    expect(auditRecords().every((r) => r.outcome === 'skipped-cap')).toBe(true);
    expect(result.remediation.blocked).toEqual({
      reason: 'cap',
      detail: '11 actions planned, more than the cap of 10 per run',
    });
  });

  it('sends no IAM call at all when the plan exceeds the share of password holders', async () => {
    switches('enforce');
    const report = buildReport([
      staleUser('a', password(200)),
      staleUser('b', password(200)),
      staleUser('c', password(200)),
      ...freshConsoleUsers(7),
    ]);
    storeReport(report);
    const handler = disableHandler();

    const result = await handler(scanResultFor(report), contextFor());

    expect(iam.calls()).toHaveLength(0);
    expect(result.remediation.blocked?.detail).toBe(
      '3 of the 10 users holding console passwords would lose them, more than the cap of 20%',
    );
  });
});

describe('disable handler: the result', () => {
  it('returns the input plus the remediation summary', async () => {
    switches('enforce');
    const event = scanResultFor(REPORT);
    const handler = disableHandler();

    const result = await handler(event, contextFor());

    expect(result).toEqual({
      ...event,
      remediation: {
        mode: 'enforce',
        deactivateAccessKeys: false,
        auditKey: AUDIT_KEY,
        blocked: null,
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

  it('stays small: no report, no undo commands, whatever the account', async () => {
    switches('enforce');
    const handler = disableHandler();

    const result = await handler(scanResultFor(REPORT), contextFor());

    expect(JSON.stringify(result)).not.toContain('create-login-profile');
    expect(JSON.stringify(result)).not.toContain('fresh-00');
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(4096);
  });

  it('fails loudly, naming the object, when the audit trail cannot be written', async () => {
    switches('dry-run');
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'not authorized to perform: s3:PutObject'));
    const handler = disableHandler();

    const error = await rejectionOf(handler(scanResultFor(REPORT), contextFor()));

    expect(error).toBeInstanceOf(AwsWriteError);
    expect(error.message).toBe(
      `writing the audit trail s3://${BUCKET}/${AUDIT_KEY} failed: AccessDenied: not authorized to perform: s3:PutObject`,
    );
    expectNoIamWrite();
  });

  it('writes an (empty) audit object even when there is nothing to do', async () => {
    switches('enforce');
    const report = buildReport(freshConsoleUsers(5));
    storeReport(report);
    const handler = disableHandler();

    const result = await handler(scanResultFor(report), contextFor());

    expect(iam.calls()).toHaveLength(0);
    expect(auditRecords()).toEqual([]);
    expect(result.remediation.counts).toEqual({});
    expect(result.remediation.auditKey).toBe(AUDIT_KEY);
  });
});
