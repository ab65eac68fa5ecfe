import {
  GetAccountAuthorizationDetailsCommand,
  GetUserCommand,
  IAMClient,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clearCache } from '@middy/util';
import { mockClient } from 'aws-sdk-client-mock';

/** The version S3 gives the JSON report in the versioned report bucket. */
const REPORT_VERSION = '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY';
import type { ScanReport, UserEntry } from '../../../src/domain/report/scan-report';
import { createScanHandler } from '../../../src/functions/scan/handler';
import { AwsReadError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { credentialReportCsv, serveCredentialReport } from '../../support/credential-report-fixture';
import { contextFor } from '../../support/lambda-context';
import { awsError, rejectionOf } from '../../support/rejection';
import { storedJsonReport } from '../../support/stored-report';
import { sdkUserDetail } from '../../support/iam-sdk-builders';
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
const STALE_PASSWORD = { setAt: '2024-01-15T09:30:00+00:00', lastUsedAt: '2026-06-01T18:09:33+00:00' };

/** Four users with the same stale password, told apart only by what the directory says about them. */
const CREDENTIAL_REPORT = credentialReportCsv(ACCOUNT_ID, [
  { user: 'admin', password: STALE_PASSWORD },
  { user: 'ren', password: STALE_PASSWORD },
  { user: 'robot', password: STALE_PASSWORD },
  { user: 'oncall', password: STALE_PASSWORD },
]);

const iam = mockClient(IAMClient);
const ssm = mockClient(SSMClient);
const s3 = mockClient(S3Client);

function scanHandler(env: NodeJS.ProcessEnv = ENV) {
  return createScanHandler({ iam: new IAMClient({}), s3: new S3Client({}), clock: () => NOW, env });
}

function userOf(report: ScanReport, name: string): UserEntry {
  const user = report.users.find((u) => u.userName === name);
  if (!user) throw new Error(`${name} is not in the report`);
  return user;
}

function statuses(report: ScanReport): Record<string, string> {
  return Object.fromEntries(report.users.map((u) => [u.userName, u.status]));
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
  ssm.on(GetParametersCommand).resolves({
    Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String', Value: '90' }],
    InvalidParameters: [],
  });
});

afterEach(() => {
  clearCache();
});

describe('scan handler: exempt users are reported as exempt', () => {
  it('reports a user tagged stale-iam:exempt=true as exempt, with the reason and its credentials', async () => {
    serveCredentialReport(iam, CREDENTIAL_REPORT, undefined, [
      sdkUserDetail('admin', { Tags: [{ Key: 'stale-iam:exempt', Value: 'true' }] }),
      sdkUserDetail('ren'),
      sdkUserDetail('robot'),
      sdkUserDetail('oncall'),
    ]);
    const handler = scanHandler();

    const result = await handler({}, contextFor());

    const report = storedJsonReport(s3);
    const admin = userOf(report, 'admin');
    expect(admin.status).toBe('exempt');
    expect(admin.exemptReason).toBe('tag stale-iam:exempt=true');
    expect(admin.credentials.map((c) => [c.type, c.stale])).toEqual([['password', true]]);
    expect(userOf(report, 'ren').status).toBe('stale');
    expect(userOf(report, 'ren').exemptReason).toBeUndefined();
    expect(report.summary.exempt).toBe(1);
    expect(report.summary.stale).toBe(3);
    expect(result.summary.exempt).toBe(1);
  });

  it('reads the directory with one GetAccountAuthorizationDetails call for users only', async () => {
    serveCredentialReport(iam, CREDENTIAL_REPORT);
    const handler = scanHandler();

    await handler({}, contextFor());

    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 1);
    expect(iam).toHaveReceivedCommandWith(GetAccountAuthorizationDetailsCommand, {
      Filter: ['User'],
      MaxItems: 1000,
    });
    expect(Object.values(statuses(storedJsonReport(s3)))).toEqual(['stale', 'stale', 'stale', 'stale']);
  });

  it('does not exempt a user tagged stale-iam:exempt=false', async () => {
    serveCredentialReport(iam, CREDENTIAL_REPORT, undefined, [
      sdkUserDetail('admin', { Tags: [{ Key: 'stale-iam:exempt', Value: 'false' }] }),
      sdkUserDetail('ren'),
      sdkUserDetail('robot'),
      sdkUserDetail('oncall'),
    ]);
    const handler = scanHandler();

    await handler({}, contextFor());

    expect(userOf(storedJsonReport(s3), 'admin').status).toBe('stale');
  });

  it('applies EXEMPT_USER_NAMES, EXEMPT_PATH_PREFIXES and EXEMPT_GROUP_NAMES from the environment', async () => {
    serveCredentialReport(iam, CREDENTIAL_REPORT, undefined, [
      sdkUserDetail('admin'),
      sdkUserDetail('ren'),
      sdkUserDetail('robot', { Path: '/system/robots/' }),
      sdkUserDetail('oncall', { GroupList: ['developers', 'oncall-admins'] }),
    ]);
    const handler = scanHandler({
      ...ENV,
      EXEMPT_USER_NAMES: '["admin","someone-else"]',
      EXEMPT_PATH_PREFIXES: '["/system/robots"]',
      EXEMPT_GROUP_NAMES: '["oncall-admins"]',
    });

    await handler({}, contextFor());

    const report = storedJsonReport(s3);
    expect(statuses(report)).toEqual({ admin: 'exempt', oncall: 'exempt', ren: 'stale', robot: 'exempt' });
    expect(userOf(report, 'admin').exemptReason).toBe('user name is exempt');
    expect(userOf(report, 'robot').exemptReason).toBe(
      'path /system/robots/ is under exempt prefix /system/robots/',
    );
    expect(userOf(report, 'oncall').exemptReason).toBe('member of exempt group oncall-admins');
    expect(report.summary.exempt).toBe(3);
  });

  it('exempts nobody by the settings when they are empty', async () => {
    serveCredentialReport(iam, CREDENTIAL_REPORT, undefined, [
      sdkUserDetail('admin'),
      sdkUserDetail('ren'),
      sdkUserDetail('robot', { Path: '/system/robots/' }),
      sdkUserDetail('oncall', { GroupList: ['oncall-admins'] }),
    ]);
    const handler = scanHandler({
      ...ENV,
      EXEMPT_USER_NAMES: '',
      EXEMPT_PATH_PREFIXES: '',
      EXEMPT_GROUP_NAMES: '',
    });

    await handler({}, contextFor());

    expect(storedJsonReport(s3).summary.exempt).toBe(0);
  });

  it('reports a user the directory does not know as an error, so remediation will not act', async () => {
    serveCredentialReport(iam, CREDENTIAL_REPORT, undefined, [
      sdkUserDetail('admin'),
      sdkUserDetail('ren'),
      sdkUserDetail('robot'),
    ]);
    // IAM still knows the user: it was not deleted, the directory lost it.
    iam.on(GetUserCommand, { UserName: 'oncall' }).resolves({
      User: {
        UserName: 'oncall',
        UserId: 'AIDAONCALL',
        Path: '/',
        Arn: `arn:aws:iam::${ACCOUNT_ID}:user/oncall`,
        CreateDate: new Date('2024-01-15T09:30:00Z'),
      },
    });
    const handler = scanHandler();

    const result = await handler({}, contextFor());

    const oncall = userOf(storedJsonReport(s3), 'oncall');
    expect(oncall.status).toBe('error');
    expect(oncall.error).toBe(
      'user not found in the exemption directory (created during the scan?); not evaluated',
    );
    expect(result.summary.errors).toBe(1);
  });

  it('reports a user deleted since AWS generated the credential report as deleted during the scan, not as an error', async () => {
    serveCredentialReport(iam, CREDENTIAL_REPORT, undefined, [
      sdkUserDetail('admin'),
      sdkUserDetail('ren'),
      sdkUserDetail('robot'),
    ]);
    iam
      .on(GetUserCommand, { UserName: 'oncall' })
      .rejects(
        new NoSuchEntityException({ message: 'The user with name oncall cannot be found.', $metadata: {} }),
      );
    const handler = scanHandler();

    const result = await handler({}, contextFor());

    const report = storedJsonReport(s3);
    expect(report.users.map((u) => u.userName)).not.toContain('oncall');
    expect(report.deletedDuringScan).toEqual(['oncall']);
    expect(report.partial).toBe(false);
    expect(result.summary.errors).toBe(0);
    expect(iam).toHaveReceivedCommandTimes(GetUserCommand, 1);
  });

  it('fails the scan, writing nothing, when the directory cannot be read', async () => {
    serveCredentialReport(iam, CREDENTIAL_REPORT);
    iam
      .on(GetAccountAuthorizationDetailsCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: iam:GetAccountAuthorizationDetails'));
    const handler = scanHandler();

    const error = await rejectionOf(handler({}, contextFor()));

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toBe(
      "reading users' tags and groups failed: AccessDenied: not authorized to perform: iam:GetAccountAuthorizationDetails",
    );
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });
});
