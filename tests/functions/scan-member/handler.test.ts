import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { mockClient } from 'aws-sdk-client-mock';
import { createSecurityHubClient } from '../../../src/adapters/securityhub/client';
import { parseAccountScanResult } from '../../../src/contracts/member-scan';
import { parseStoredReport } from '../../../src/contracts/stored-report';
import { createScanMemberHandler } from '../../../src/functions/scan-member/handler';
import { InvalidInputError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { credentialReportCsv, serveCredentialReport } from '../../support/credential-report-fixture';
import { defaultSettingsEnvironment } from '../../support/function-environment';
import { contextFor } from '../../support/lambda-context';
import { awsError, rejectionOf } from '../../support/rejection';

const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);

const MEMBER = '111122223333';
const BUCKET = 'reports-bucket';
const ENV = { ...defaultSettingsEnvironment('scanMember'), REPORT_BUCKET: BUCKET };
const RUN = {
  name: '5e0b4c1a-8f7e-4c4d-9a41-2b1f0c9d7e21',
  evaluatedAt: '2026-11-28T00:00:00.000Z',
  thresholdDays: 45,
};
const EVENT = { account: { accountId: MEMBER, name: 'legacy' }, run: RUN };
const CLOCK = new Date('2026-11-28T00:03:10Z');

/** 60 idle days: stale at this run's 45, not at the default 90. */
const CSV = credentialReportCsv(MEMBER, [
  {
    user: 'ayaka',
    password: { setAt: '2024-01-15T09:30:00+00:00', lastUsedAt: '2026-09-29T00:00:00+00:00' },
  },
  { user: 'sota', password: { setAt: '2025-04-01T09:00:00+00:00', lastUsedAt: '2026-11-20T10:00:00+00:00' } },
]);

let clientsFor: AwsCredentialIdentity[];
let securityHubFor: AwsCredentialIdentity[];

function handler(env: NodeJS.ProcessEnv = ENV) {
  return createScanMemberHandler({
    sts: new STSClient({}),
    iamFor: (credentials) => {
      clientsFor.push(credentials);
      return new IAMClient({ credentials });
    },
    securityHubFor: (credentials) => {
      securityHubFor.push(credentials);
      return createSecurityHubClient({
        overrides: { credentials, region: 'eu-west-1' },
        maxAttempts: 1,
      });
    },
    s3: new S3Client({}),
    clock: () => CLOCK,
    env,
  });
}

beforeAll(() => logger.setLogLevel('SILENT'));

beforeEach(() => {
  sts.reset();
  iam.reset();
  s3.reset();
  clientsFor = [];
  securityHubFor = [];
  s3.on(PutObjectCommand).resolves({});
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIAMEMBERMEMBER0001',
      SecretAccessKey: 's',
      SessionToken: 't',
      Expiration: new Date('2026-11-28T01:00:00Z'),
    },
    AssumedRoleUser: {
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/stale-iam-member/x`,
      AssumedRoleId: 'AROA:x',
    },
  });
  serveCredentialReport(iam, CSV);
});

describe('scanMember: one account of the organisation', () => {
  it('assumes the member role, reads the account with those credentials, writes its report and returns where it is', async () => {
    const result = await handler()(EVENT, contextFor());

    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::${MEMBER}:role/stale-iam-member`,
      RoleSessionName: `stale-iam-${RUN.name}`,
      DurationSeconds: 3600,
    });
    expect(clientsFor.map((c) => c.accessKeyId)).toEqual(['ASIAMEMBERMEMBER0001']);
    expect(iam).toHaveReceivedCommandTimes(GetCredentialReportCommand, 1);
    const key = `reports/${MEMBER}/2026/11/28/scan-2026-11-28T000000Z.json`;
    expect(parseAccountScanResult(result, 'result')).toEqual({
      status: 'complete',
      account: EVENT.account,
      report: { bucket: BUCKET, key, csvKey: key.replace(/\.json$/, '.csv') },
      summary: {
        users: 2,
        stale: 1,
        active: 1,
        noCredentials: 0,
        exempt: 0,
        errors: 0,
        activeWithStaleCredentials: 0,
      },
    });
  });

  it("judges at the run's instant and threshold, so every account of the run agrees", async () => {
    await handler()(EVENT, contextFor());

    const put = s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key?.endsWith('.json'));
    const report = parseStoredReport(JSON.parse(String(put?.args[0].input.Body)), 'written');
    expect(report.evaluatedAt).toEqual(new Date(RUN.evaluatedAt));
    expect(report.generatedAt).toEqual(CLOCK);
    expect(report.thresholdDays).toBe(45);
    expect(report.accountId).toBe(MEMBER);
    expect(report.users.find((u) => u.userName === 'ayaka')?.status).toBe('stale');
  });

  it('returns a role-unavailable failure, and writes nothing, when the member role cannot be assumed', async () => {
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole'));

    const result = await handler()(EVENT, contextFor());

    expect(result).toEqual({
      status: 'failed',
      account: EVENT.account,
      error: {
        kind: 'role-unavailable',
        message: `MemberRoleError: assuming arn:aws:iam::${MEMBER}:role/stale-iam-member failed: AccessDenied: not authorized to perform: sts:AssumeRole`,
      },
    });
    expect(iam.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  it('returns an access-denied failure, and writes nothing, when the member role may not read the report', async () => {
    iam
      .on(GenerateCredentialReportCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: iam:GenerateCredentialReport'));

    const result = await handler()(EVENT, contextFor());

    expect(result.status === 'failed' && result.error.kind).toBe('access-denied');
    expect(s3.calls()).toHaveLength(0);
  });

  it('assumes the role name of its settings, in the partition the function runs in', async () => {
    await handler({ ...ENV, MEMBER_ROLE_NAME: 'audit-reader' })(
      EVENT,
      contextFor({ invokedFunctionArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:f' }),
    );

    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws-cn:iam::${MEMBER}:role/audit-reader`,
    });
  });

  it('refuses an item that is not an account of a run, before assuming anything', async () => {
    const error = await rejectionOf(handler()({ account: { accountId: 'all' }, run: RUN }, contextFor()));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(sts.calls()).toHaveLength(0);
  });
});

describe('scanMember with securityHub=true: findings imported in the account itself', () => {
  const securityHub = mockClient(SecurityHubClient);
  const WITH_FINDINGS = { ...ENV, SECURITY_HUB: 'true' };
  const PRODUCT = `arn:aws:securityhub:eu-west-1:${MEMBER}:product/${MEMBER}/default`;

  beforeEach(() => {
    securityHub.reset();
    securityHub.on(GetFindingsCommand).resolves({ Findings: [] });
    securityHub
      .on(BatchImportFindingsCommand)
      .resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
  });

  it("imports one finding per stale credential into the member's own default product, through the member role's session", async () => {
    const result = parseAccountScanResult(await handler(WITH_FINDINGS)(EVENT, contextFor()), 'result');

    expect(securityHubFor.map((c) => c.accessKeyId)).toEqual(['ASIAMEMBERMEMBER0001']);
    const imported = securityHub
      .commandCalls(BatchImportFindingsCommand)
      .flatMap((c) => c.args[0].input.Findings ?? []);
    expect(imported.map((f) => [f.AwsAccountId, f.ProductArn, f.Resources?.[0]?.Id])).toEqual([
      [MEMBER, PRODUCT, `arn:aws:iam::${MEMBER}:user/ayaka`],
    ]);
    expect(result).toMatchObject({
      status: 'complete',
      findings: { status: 'imported', productArn: PRODUCT, created: 1, updated: 0, resolved: 0, failed: 0 },
    });
  });

  it('imports nothing for a partial scan, and says so', async () => {
    // sota was created while the scan ran: in the credential report, not yet in the directory.
    iam.reset();
    serveCredentialReport(iam, CSV, undefined, [{ UserName: 'ayaka', Path: '/', Tags: [], GroupList: [] }]);

    const result = await handler(WITH_FINDINGS)(EVENT, contextFor());

    expect(securityHub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 0);
    expect(result).toMatchObject({
      status: 'partial',
      findings: { status: 'skipped', reason: 'partial-scan' },
    });
  });

  it("records a Security Hub failure as the account's findings' only: the scan, its report and the run go on", async () => {
    securityHub
      .on(GetFindingsCommand)
      .rejects(awsError('InvalidAccessException', 'Account is not subscribed to AWS Security Hub'));

    const result = await handler(WITH_FINDINGS)(EVENT, contextFor());

    expect(result).toMatchObject({
      status: 'complete',
      findings: {
        status: 'failed',
        error: 'AwsReadError',
        message: expect.stringContaining('not subscribed'),
      },
    });
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toHaveLength(2);
  });

  it('opens no Security Hub session without securityHub=true', async () => {
    const result = await handler()(EVENT, contextFor());

    expect(securityHubFor).toEqual([]);
    expect(securityHub.calls()).toHaveLength(0);
    expect(result).not.toHaveProperty('findings');
  });
});
