import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { CredentialReportSource } from '../../src/adapters/credential-report/source';
import { IamApiSource } from '../../src/adapters/iam/api-source';
import { S3ReportStore } from '../../src/adapters/s3/report-store';
import { createSecurityHubClient } from '../../src/adapters/securityhub/client';
import { scanResultOf } from '../../src/contracts/scan-result';
import type { UserSource } from '../../src/domain/scan/ports';
import { scanAccount } from '../../src/domain/scan/scan-account';
import { createFindingsHandler, type FindingsResult } from '../../src/functions/findings/handler';
import { logger } from '../../src/lib/logger';
import { asffProblems, requiredFindingMembers } from '../support/asff-model';
import { lambdaContext } from '../support/lambda-context';
import { DEFAULT_ACCOUNT_ID, REGION, clientConfig, iamClient } from './support/aws';
import { describeWithEmulator, useMoto } from './support/moto';

/**
 * The findings step against a real implementation of the Security Hub and IAM wire protocols
 * (moto): users and keys made through the IAM API, scanned by both live sources, the report stored
 * in S3, then the findings function imports into Security Hub and the test reads back what it
 * holds. moto cannot backdate a credential, so the runs are evaluated 90 days after an instant
 * taken between the credentials' creation and the use of one of them: everything is stale then
 * except what was used after it. moto ignores GetFindings' filters, which the function must
 * survive: another product's finding sits in the same hub throughout.
 */

const DAY_MS = 86_400_000;
const BUCKET = 'stale-iam-emulator-reports';
const PRODUCT_ARN = `arn:aws:securityhub:${REGION}:${DEFAULT_ACCOUNT_ID}:product/${DEFAULT_ACCOUNT_ID}/default`;
const CONTEXT = lambdaContext({
  invokedFunctionArn: `arn:aws:lambda:${REGION}:${DEFAULT_ACCOUNT_ID}:function:stale-iam-test-findings`,
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithEmulator('the findings step against the emulator', () => {
  const moto = useMoto();
  beforeAll(() => logger.setLogLevel('SILENT'));

  describe.each([
    ['credential-report', (iam: IAMClient): UserSource => new CredentialReportSource({ client: iam })],
    ['api', (iam: IAMClient): UserSource => new IamApiSource({ client: iam })],
  ])('with the %s source', (_source, sourceOf) => {
    let iam: IAMClient;
    let securityHub: SecurityHubClient;
    let s3: S3Client;
    /** Every credential below was created before this instant and only the one used was used after it. */
    let evaluatedAt: Date;
    let usedKey: { id: string; secret: string };
    let firstKeyOfTwo: string;
    let firstRunFindings: AwsSecurityFinding[];

    beforeAll(async () => {
      await moto.current.reset();
      const { endpoint } = moto.current;
      iam = iamClient(endpoint);
      s3 = new S3Client(clientConfig(endpoint));
      securityHub = createSecurityHubClient({
        backoff: () => 0,
        overrides: { endpoint, region: REGION, credentials: clientConfig(endpoint).credentials },
      });
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));

      for (const name of ['console', 'two-keys', 'key-user', 'nothing']) {
        await iam.send(new CreateUserCommand({ UserName: name }));
      }
      await iam.send(new CreateLoginProfileCommand({ UserName: 'console', Password: 'Emulator-Passw0rd!' }));
      firstKeyOfTwo =
        (await iam.send(new CreateAccessKeyCommand({ UserName: 'two-keys' }))).AccessKey?.AccessKeyId ?? '';
      // The credential report names keys by creation second only: keep the two apart.
      await pause(1_100);
      await iam.send(new CreateAccessKeyCommand({ UserName: 'two-keys' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'key-user' }));
      usedKey = { id: AccessKey?.AccessKeyId ?? '', secret: AccessKey?.SecretAccessKey ?? '' };

      await pause(1_100);
      evaluatedAt = new Date(Date.now() + 90 * DAY_MS);
      await pause(1_100);

      // Another product's finding in the same hub, which no run may touch.
      await securityHub.send(
        new BatchImportFindingsCommand({
          Findings: [
            {
              SchemaVersion: '2018-10-08',
              Id: 'other-product/finding-1',
              ProductArn: `arn:aws:securityhub:${REGION}::product/aws/guardduty`,
              GeneratorId: 'guardduty-detector',
              AwsAccountId: DEFAULT_ACCOUNT_ID,
              CreatedAt: '2026-01-01T00:00:00Z',
              UpdatedAt: '2026-01-01T00:00:00Z',
              Title: 'Another product',
              Description: 'Not ours',
              Resources: [{ Type: 'Other', Id: 'x' }],
              RecordState: 'ACTIVE',
            },
          ],
        }),
      );
    }, 60_000);

    /** Scan through the source as of `evaluatedAt`, store the report, run the findings function. */
    async function run(importedAt: Date): Promise<FindingsResult> {
      const report = await scanAccount(sourceOf(iam), {
        thresholdDays: 90,
        scope: 'all',
        now: evaluatedAt,
        clock: () => importedAt,
      });
      const location = await new S3ReportStore({ bucket: BUCKET, client: s3 }).save(report);
      const handler = createFindingsHandler({
        securityHub,
        s3,
        clock: () => importedAt,
        env: { REPORT_BUCKET: BUCKET },
      });
      return handler(scanResultOf(report, location), CONTEXT);
    }

    async function hub(): Promise<AwsSecurityFinding[]> {
      const { Findings = [] } = await securityHub.send(new GetFindingsCommand({ MaxResults: 100 }));
      return Findings;
    }

    const ours = (findings: AwsSecurityFinding[]) => findings.filter((f) => f.ProductArn === PRODUCT_ARN);
    /** The finding of a user's key in a slot of the first run's report (both sources give slots). */
    const keyFinding = (findings: AwsSecurityFinding[], userName: string, slot: 1 | 2) =>
      findings.find(
        (f) =>
          f.ProductFields?.['stale-iam/UserName'] === userName &&
          f.ProductFields['stale-iam/AccessKeySlot'] === String(slot),
      );

    it('imports one ACTIVE, FAILED finding per stale credential, with every field the model requires', async () => {
      const result = await run(new Date('2026-11-28T00:10:00.000Z'));

      firstRunFindings = ours(await hub());
      expect(result.findings).toEqual(
        expect.objectContaining({ status: 'imported', created: 4, updated: 0, resolved: 0, failed: 0 }),
      );
      expect(firstRunFindings.map((f) => f.ProductFields?.['stale-iam/UserName']).sort()).toEqual([
        'console',
        'key-user',
        'two-keys',
        'two-keys',
      ]);
      expect(new Set(firstRunFindings.map((f) => f.Id)).size).toBe(4);
      for (const finding of firstRunFindings) {
        for (const member of requiredFindingMembers()) expect(finding).toHaveProperty(member);
        expect(asffProblems(finding)).toEqual([]);
        expect(finding.Types?.length).toBeGreaterThan(0);
        expect(finding.Severity?.Label).toBe('MEDIUM');
        expect(finding.Compliance?.Status).toBe('FAILED');
        expect(finding.RecordState).toBe('ACTIVE');
        expect(finding.CreatedAt).toBe('2026-11-28T00:10:00.000Z');
      }
    });

    it('gives the two stale keys of one user two findings', () => {
      const twoKeys = firstRunFindings.filter((f) => f.ProductFields?.['stale-iam/UserName'] === 'two-keys');

      expect(twoKeys).toHaveLength(2);
      expect(twoKeys.map((f) => f.Resources?.[0]?.Type)).toEqual(['AwsIamAccessKey', 'AwsIamAccessKey']);
      expect(new Set(twoKeys.map((f) => f.Id)).size).toBe(2);
    });

    it('archives exactly the finding of the key used since and the one of the key removed on the next run', async () => {
      // key-user's key signs a request (moto records its use); two-keys' first key is deleted.
      const asKeyUser = new IAMClient({
        ...clientConfig(moto.current.endpoint, { accessKeyId: usedKey.id, secretAccessKey: usedKey.secret }),
      });
      await asKeyUser.send(new GetUserCommand({ UserName: 'key-user' }));
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'two-keys', AccessKeyId: firstKeyOfTwo }));
      const expectedArchived = [
        keyFinding(firstRunFindings, 'key-user', 1)?.Id,
        keyFinding(firstRunFindings, 'two-keys', 1)?.Id,
      ].sort();
      expect(expectedArchived.every((id) => typeof id === 'string')).toBe(true);

      const result = await run(new Date('2026-11-29T00:10:00.000Z'));

      const after = ours(await hub());
      expect(result.findings).toEqual(
        expect.objectContaining({ status: 'imported', created: 0, updated: 2, resolved: 2, failed: 0 }),
      );
      expect(
        after
          .filter((f) => f.RecordState === 'ARCHIVED')
          .map((f) => f.Id)
          .sort(),
      ).toEqual(expectedArchived);
      for (const finding of after) {
        const archived = finding.RecordState === 'ARCHIVED';
        expect(finding.Compliance?.Status).toBe(archived ? 'PASSED' : 'FAILED');
        expect(finding.CreatedAt).toBe('2026-11-28T00:10:00.000Z');
        expect(finding.UpdatedAt).toBe('2026-11-29T00:10:00.000Z');
        expect(asffProblems(finding)).toEqual([]);
      }
      expect(
        Object.fromEntries(
          after
            .filter((f) => f.RecordState === 'ARCHIVED')
            .map((f) => [f.ProductFields?.['stale-iam/UserName'], f.ProductFields?.['stale-iam/Resolution']]),
        ),
      ).toEqual({ 'key-user': 'no-longer-stale', 'two-keys': 'credential-removed' });
      expect(after).toHaveLength(4);
    });

    it("never touched the other product's finding", async () => {
      const other = (await hub()).filter((f) => f.ProductArn !== PRODUCT_ARN);

      expect(other.map((f) => [f.Id, f.RecordState, f.UpdatedAt])).toEqual([
        ['other-product/finding-1', 'ACTIVE', '2026-01-01T00:00:00Z'],
      ]);
    });
  });
});
