import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import type { ScanResult } from '../../../src/contracts/scan-result';
import { scanResultOf } from '../../../src/contracts/scan-result';
import { staleCredentialFindings } from '../../../src/domain/findings/plan';
import type { ScanReport } from '../../../src/domain/report/scan-report';
import { createFindingsHandler } from '../../../src/functions/findings/handler';
import { InvalidConfigError, InvalidInputError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { lambdaContext } from '../../support/lambda-context';
import {
  ACCOUNT_ID,
  LOCATION,
  accessKey,
  activeUser,
  buildReport,
  errorUser,
  password,
  staleUser,
} from '../../support/report-builder';
import { rejectionOf } from '../../support/rejection';
import { s3Body } from '../../support/s3-body';

const s3 = mockClient(S3Client);
const securityHub = mockClient(SecurityHubClient);
const NOW = new Date('2026-11-28T00:10:00.000Z');
const CONTEXT = lambdaContext({
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT_ID}:function:stale-iam-test-findings`,
});
const PRODUCT_ARN = `arn:aws:securityhub:eu-west-1:${ACCOUNT_ID}:product/${ACCOUNT_ID}/default`;

const REPORT = buildReport([
  staleUser('bob', password(120), accessKey(1, 200, { accessKeyId: 'AKIABOB0000000000001' })),
  activeUser('carol', password(2)),
]);

function storeReport(report: ScanReport): void {
  s3.on(GetObjectCommand, { Bucket: LOCATION.bucket, Key: LOCATION.key }).callsFake(() => ({
    Body: s3Body(JSON.stringify(report)),
  }));
}

function handler(env: NodeJS.ProcessEnv = { REPORT_BUCKET: LOCATION.bucket }) {
  return createFindingsHandler({
    securityHub: new SecurityHubClient({ region: 'eu-west-1' }),
    s3: new S3Client({}),
    clock: () => NOW,
    env,
  });
}

function event(report: ScanReport = REPORT): ScanResult {
  return scanResultOf(report, LOCATION);
}

function imported(): AwsSecurityFinding[] {
  return securityHub.commandCalls(BatchImportFindingsCommand).flatMap((c) => c.args[0].input.Findings ?? []);
}

beforeAll(() => logger.setLogLevel('SILENT'));

beforeEach(() => {
  s3.reset();
  securityHub.reset();
  securityHub.on(GetFindingsCommand).resolves({ Findings: [] });
  securityHub.on(BatchImportFindingsCommand).resolves({ FailedFindings: [] });
});

describe('findings handler', () => {
  it("imports the run's stale credentials into the function's own account and Region, and passes its input on", async () => {
    storeReport(REPORT);

    const result = await handler()(event(), CONTEXT);

    expect(imported().map((f) => [f.Id, f.ProductArn, f.AwsAccountId])).toEqual([
      [`stale-iam/${ACCOUNT_ID}/bob/password`, PRODUCT_ARN, ACCOUNT_ID],
      [`stale-iam/${ACCOUNT_ID}/bob/access-key/AKIABOB0000000000001`, PRODUCT_ARN, ACCOUNT_ID],
    ]);
    expect(imported()[0]?.ProductFields?.['stale-iam/Report']).toBe(
      `s3://${LOCATION.bucket}/${LOCATION.key}`,
    );
    expect(result).toEqual({
      ...event(),
      findings: {
        status: 'imported',
        productArn: PRODUCT_ARN,
        created: 2,
        updated: 0,
        resolved: 0,
        failed: 0,
        failures: [],
        unreadable: 0,
      },
    });
  });

  it('resolves the active findings whose credential is gone, found through GetFindings', async () => {
    const yesterday = staleCredentialFindings(
      buildReport([...REPORT.users, staleUser('dora', password(300))]),
      { identity: { accountId: ACCOUNT_ID, region: 'eu-west-1', partition: 'aws' }, now: NOW },
    );
    securityHub.on(GetFindingsCommand).resolves({ Findings: yesterday });
    storeReport(REPORT);

    const result = await handler()(event(), CONTEXT);

    const resolved = imported().filter((f) => f.RecordState === 'ARCHIVED');
    expect(
      resolved.map((f) => [f.Id, f.Compliance?.Status, f.ProductFields?.['stale-iam/Resolution']]),
    ).toEqual([[`stale-iam/${ACCOUNT_ID}/dora/password`, 'PASSED', 'user-removed']]);
    expect(result.findings).toEqual(expect.objectContaining({ created: 0, updated: 2, resolved: 1 }));
  });

  it('imports nothing and says so when the scan is partial', async () => {
    const partial = buildReport([errorUser('bob', 'AccessDenied'), activeUser('carol')]);
    storeReport(partial);

    const result = await handler()(event(partial), CONTEXT);

    expect(securityHub).toHaveReceivedCommandTimes(GetFindingsCommand, 0);
    expect(securityHub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 0);
    expect(result.findings).toEqual({ status: 'skipped', reason: 'partial-scan', productArn: PRODUCT_ARN });
  });

  it('reads reports only from its own bucket', async () => {
    const elsewhere = { ...event(), report: { ...LOCATION, bucket: 'someone-elses-bucket' } };

    const error = await rejectionOf(handler()(elsewhere, CONTEXT));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(
      `findings reads reports from its own bucket ${LOCATION.bucket}, not someone-elses-bucket`,
    );
    expect(securityHub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 0);
  });

  it('refuses a report of another account than the one it runs in, importing nothing', async () => {
    const foreign = buildReport(REPORT.users, { accountId: '999999999999' });
    storeReport(foreign);

    const error = await rejectionOf(handler()(event(foreign), CONTEXT));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('the report describes account 999999999999');
    expect(securityHub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 0);
  });

  it('fails fast without its bucket setting', async () => {
    const error = await rejectionOf(handler({})(event(), CONTEXT));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe('REPORT_BUCKET is not set');
  });
});
