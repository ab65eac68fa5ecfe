import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clearCache } from '@middy/util';
import { mockClient } from 'aws-sdk-client-mock';

/** The version S3 gives the JSON report in the versioned report bucket. */
const REPORT_VERSION = '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY';
import { createScanHandler } from '../../../src/functions/scan/handler';
import { AwsReadError, InvalidConfigError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { SSM_CACHE_EXPIRY_MS } from '../../../src/lib/ssm-settings';
import { credentialReportCsv, serveCredentialReport } from '../../support/credential-report-fixture';
import { contextFor } from '../../support/lambda-context';
import { awsError, rejectionOf } from '../../support/rejection';
import { storedJsonReport } from '../../support/stored-report';
import { defaultSettingsEnvironment } from '../../support/function-environment';

const ACCOUNT_ID = '123456789012';
const THRESHOLD_PARAMETER = '/stale-iam/test/threshold-days';
const BUCKET = 'reports-bucket';
const NOW = new Date('2026-11-28T00:00:00Z');
const ENV = {
  ...defaultSettingsEnvironment('scan'),
  THRESHOLD_DAYS_PARAMETER: THRESHOLD_PARAMETER,
  REPORT_BUCKET: BUCKET,
};
const SCHEDULED_EVENT = {
  version: '0',
  id: '89d1a02d-5ec7-412e-82f5-13505f849b41',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: ACCOUNT_ID,
  time: '2026-11-28T00:00:00Z',
  region: 'us-east-1',
  resources: [`arn:aws:events:us-east-1:${ACCOUNT_ID}:rule/stale-iam-test-daily`],
  detail: {},
};

/**
 * Evaluated at 2026-11-28 with a 45-day threshold: ren and ayaka are stale, haruto is active but
 * holds a key unused since January, sota is active, and kaito has no credentials. ayaka's 60 idle
 * days make her stale at 45 days but not at the default 90, so the report shows which threshold won.
 */
const CREDENTIAL_REPORT = credentialReportCsv(ACCOUNT_ID, [
  { user: 'sota', password: { setAt: '2025-04-01T09:00:00+00:00', lastUsedAt: '2026-11-20T10:00:00+00:00' } },
  { user: 'ren', password: { setAt: '2024-01-15T09:30:00+00:00', lastUsedAt: '2026-06-01T18:09:33+00:00' } },
  {
    user: 'ayaka',
    password: { setAt: '2024-01-15T09:30:00+00:00', lastUsedAt: '2026-09-29T00:00:00+00:00' },
  },
  {
    user: 'haruto',
    key1: { active: true, createdAt: '2025-10-10T06:29:40+00:00', lastUsedAt: '2026-11-27T07:41:19+00:00' },
    key2: { active: true, createdAt: '2025-10-10T06:29:40+00:00', lastUsedAt: '2026-01-02T00:00:00+00:00' },
  },
  { user: 'kaito' },
]);

const iam = mockClient(IAMClient);
const ssm = mockClient(SSMClient);
const s3 = mockClient(S3Client);

function thresholdParameter(value: string) {
  return {
    Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String' as const, Value: value }],
    InvalidParameters: [],
  };
}

/** Creates the handler; call it after the mocks are set up, because @middy/ssm prefetches on creation. */
function scanHandler(env: NodeJS.ProcessEnv = ENV) {
  return createScanHandler({ iam: new IAMClient({}), s3: new S3Client({}), clock: () => NOW, env });
}

function putObjectInputs() {
  return s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
}

beforeAll(() => {
  logger.setLogLevel('SILENT');
});

beforeEach(() => {
  iam.reset();
  ssm.reset();
  s3.reset();
  clearCache();
  s3.on(PutObjectCommand).resolves({ ETag: '"etag"', VersionId: REPORT_VERSION });
  serveCredentialReport(iam, CREDENTIAL_REPORT);
});

afterEach(() => {
  clearCache();
  jest.useRealTimers();
});

describe('scan handler: the threshold comes from SSM', () => {
  it('reads the configured parameter and evaluates with its value', async () => {
    ssm.on(GetParametersCommand).resolves(thresholdParameter('45'));
    const handler = scanHandler();

    const result = await handler(SCHEDULED_EVENT, contextFor());

    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(GetParametersCommand, { Names: [THRESHOLD_PARAMETER] });
    expect(result.thresholdDays).toBe(45);
    const report = storedJsonReport(s3);
    expect(report.thresholdDays).toBe(45);
    // 60 idle days: stale at 45, which proves the SSM value and not the default of 90 was used.
    expect(report.users.find((u) => u.userName === 'ayaka')?.status).toBe('stale');
  });

  it('reads SSM again at the next invocation of a warm function, so a put-parameter takes effect on the very next run', async () => {
    ssm.on(GetParametersCommand).resolvesOnce(thresholdParameter('45')).resolves(thresholdParameter('90'));
    const handler = scanHandler();

    const first = await handler(SCHEDULED_EVENT, contextFor());
    const second = await handler(SCHEDULED_EVENT, contextFor({ awsRequestId: 'second-run' }));

    // No cache: the disable step refuses a report whose threshold is not the one in SSM now.
    expect(SSM_CACHE_EXPIRY_MS).toBe(0);
    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 2);
    expect(first.thresholdDays).toBe(45);
    expect(second.thresholdDays).toBe(90);
  });
});

describe('scan handler: an unusable threshold stops the scan before it reads IAM or writes anything', () => {
  it.each([
    [
      'abc',
      'threshold days (SSM parameter /stale-iam/test/threshold-days) must be a whole number from 1 to 3650, got "abc"',
    ],
    [
      '0',
      'threshold days (SSM parameter /stale-iam/test/threshold-days) must be a whole number from 1 to 3650, got "0"',
    ],
    [
      '99999',
      'threshold days (SSM parameter /stale-iam/test/threshold-days) must be a whole number from 1 to 3650, got "99999"',
    ],
  ])('rejects the SSM value %p with a one-line InvalidConfigError', async (value, message) => {
    ssm.on(GetParametersCommand).resolves(thresholdParameter(value));
    const handler = scanHandler();

    const error = await rejectionOf(handler(SCHEDULED_EVENT, contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe(message);
    expect(error.message).not.toMatch(/\n/);
    expect(iam.calls()).toHaveLength(0);
    expect(iam).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('rejects a missing parameter, saying which one does not exist', async () => {
    ssm.on(GetParametersCommand).resolves({ Parameters: [], InvalidParameters: [THRESHOLD_PARAMETER] });
    const handler = scanHandler();

    const error = await rejectionOf(handler(SCHEDULED_EVENT, contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe(
      `SSM parameter(s) ${THRESHOLD_PARAMETER}: parameter ${THRESHOLD_PARAMETER} does not exist`,
    );
    expect(error.message).not.toMatch(/\n/);
    expect(iam.calls()).toHaveLength(0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('rejects a denied SSM read with an InvalidConfigError naming the parameter and AccessDenied', async () => {
    ssm
      .on(GetParametersCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/stale-iam-scan/fn is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:${ACCOUNT_ID}:parameter${THRESHOLD_PARAMETER}`,
        ),
      );
    const handler = scanHandler();

    const error = await rejectionOf(handler(SCHEDULED_EVENT, contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toContain(`SSM parameter(s) ${THRESHOLD_PARAMETER}`);
    expect(error.message).toContain('AccessDeniedException');
    expect(error.message).not.toMatch(/\n/);
    expect(iam.calls()).toHaveLength(0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('rejects when no parameter name is configured, without calling SSM', async () => {
    const handler = scanHandler({ REPORT_BUCKET: BUCKET });

    const error = await rejectionOf(handler(SCHEDULED_EVENT, contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe('no SSM parameter name configured for thresholdDays');
    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 0);
    expect(iam.calls()).toHaveLength(0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('rejects when REPORT_BUCKET is not set, before reading IAM', async () => {
    ssm.on(GetParametersCommand).resolves(thresholdParameter('45'));
    const handler = scanHandler({ THRESHOLD_DAYS_PARAMETER: THRESHOLD_PARAMETER });

    const error = await rejectionOf(handler(SCHEDULED_EVENT, contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe('REPORT_BUCKET is not set');
    expect(iam.calls()).toHaveLength(0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });
});

describe('scan handler: the report lands in S3', () => {
  it('writes the JSON report under reports/<account>/YYYY/MM/DD/ in the bucket', async () => {
    ssm.on(GetParametersCommand).resolves(thresholdParameter('45'));
    const handler = scanHandler();

    await handler(SCHEDULED_EVENT, contextFor());

    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 2);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: `reports/${ACCOUNT_ID}/2026/11/28/scan-2026-11-28T000000Z.json`,
      ContentType: 'application/json',
    });
  });

  it('stores a schemaVersion 1 report with every user and the right status', async () => {
    ssm.on(GetParametersCommand).resolves(thresholdParameter('45'));
    const handler = scanHandler();

    await handler(SCHEDULED_EVENT, contextFor());

    const report = storedJsonReport(s3);
    expect(report.schemaVersion).toBe(1);
    expect(report.accountId).toBe(ACCOUNT_ID);
    expect(report.evaluatedAt).toBe('2026-11-28T00:00:00.000Z');
    expect(report.source).toBe('credential-report');
    expect(report.credentialReportGeneratedAt).toBe('2026-11-27T22:14:05.000Z');
    expect(Object.fromEntries(report.users.map((u) => [u.userName, u.status]))).toEqual({
      ayaka: 'stale',
      haruto: 'active',
      kaito: 'no-credentials',
      ren: 'stale',
      sota: 'active',
    });
    expect(report.users.map((u) => u.userName)).toEqual(['ayaka', 'haruto', 'kaito', 'ren', 'sota']);
    const haruto = report.users.find((u) => u.userName === 'haruto');
    expect(haruto?.credentials.map((c) => [c.slot, c.stale])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(report.summary).toEqual({
      users: 5,
      stale: 2,
      active: 2,
      noCredentials: 1,
      exempt: 0,
      errors: 0,
      activeWithStaleCredentials: 1,
    });
  });

  it('writes a CSV copy beside the JSON', async () => {
    ssm.on(GetParametersCommand).resolves(thresholdParameter('45'));
    const handler = scanHandler();

    await handler(SCHEDULED_EVENT, contextFor());

    const csv = putObjectInputs().find(
      (input) => input.Key === `reports/${ACCOUNT_ID}/2026/11/28/scan-2026-11-28T000000Z.csv`,
    );
    expect(csv?.Bucket).toBe(BUCKET);
    expect(csv?.ContentType).toBe('text/csv; charset=utf-8');
    if (typeof csv?.Body !== 'string') throw new Error('no CSV body was written');
    const lines = csv.Body.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^user_name,arn,status,/);
    expect(lines.filter((line) => line.startsWith('ren,'))).toEqual([
      expect.stringContaining(`ren,arn:aws:iam::${ACCOUNT_ID}:user/ren,stale,`),
    ]);
  });

  it('returns only where the report is and its summary, never the users', async () => {
    ssm.on(GetParametersCommand).resolves(thresholdParameter('45'));
    const handler = scanHandler();

    const result = await handler(SCHEDULED_EVENT, contextFor());

    expect(Object.keys(result).sort()).toEqual([
      'accountId',
      'evaluatedAt',
      'partial',
      'report',
      'source',
      'summary',
      'thresholdDays',
    ]);
    expect(result.report).toEqual({
      bucket: BUCKET,
      key: `reports/${ACCOUNT_ID}/2026/11/28/scan-2026-11-28T000000Z.json`,
      csvKey: `reports/${ACCOUNT_ID}/2026/11/28/scan-2026-11-28T000000Z.csv`,
      // The version S3 gave the JSON report: the next steps read exactly that one.
      versionId: REPORT_VERSION,
    });
    expect(result.summary.stale).toBe(2);
    expect(result.summary.users).toBe(5);
    expect(result.accountId).toBe(ACCOUNT_ID);
    expect(result.evaluatedAt).toBe('2026-11-28T00:00:00.000Z');
    expect(JSON.stringify(result)).not.toContain('ayaka');
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(1024);
  });
});

describe('scan handler: a failed IAM read fails the scan', () => {
  it('rejects when GetCredentialReport is denied and writes nothing', async () => {
    ssm.on(GetParametersCommand).resolves(thresholdParameter('45'));
    iam
      .on(GetCredentialReportCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/stale-iam-scan/fn is not authorized to perform: iam:GetCredentialReport`,
        ),
      );
    const handler = scanHandler();

    const error = await rejectionOf(handler(SCHEDULED_EVENT, contextFor()));

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toMatch(
      /^fetching the credential report failed: AccessDenied: User: .*iam:GetCredentialReport$/,
    );
    expect(s3.calls()).toHaveLength(0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('uses the credential report by default, not per-user API calls', async () => {
    ssm.on(GetParametersCommand).resolves(thresholdParameter('45'));
    const handler = scanHandler();

    await handler(SCHEDULED_EVENT, contextFor());

    expect(iam).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 1);
    expect(iam).toHaveReceivedCommandTimes(GetCredentialReportCommand, 1);
    expect(iam).toHaveReceivedCommandTimes(ListUsersCommand, 0);
  });
});
