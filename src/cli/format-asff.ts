import { partitionOfArn } from '../domain/findings/asff';
import { staleCredentialFindings } from '../domain/findings/plan';
import type { ScanReport } from '../domain/report/scan-report';
import { InvalidConfigError, InvalidInputError } from '../lib/errors';

/**
 * `stale-iam scan --format asff`: the findings of the stale credentials as a JSON array that
 * `aws securityhub batch-import-findings --findings file://findings.json` accepts (up to 100 at a
 * time), imported with credentials of the account the report describes (AwsAccountId must be the
 * caller's with the default product). Pure: report, Region and the moment of writing in, text out.
 * Each finding is new (CreatedAt is `now`): the CLI does not read Security Hub, so it neither keeps
 * an existing finding's CreatedAt nor resolves anything; the deployed findings step does both.
 */
export function formatAsff(report: ScanReport, { region, now }: { region: string; now: Date }): string {
  if (!/^[a-z0-9-]+$/.test(region)) {
    throw new InvalidConfigError(`--format asff: ${JSON.stringify(region)} is not an AWS Region`);
  }
  const accountId = report.accountId;
  if (accountId === null) {
    if (report.users.length > 0)
      throw new InvalidInputError('--format asff: the report names no AWS account');
    return '[]\n';
  }
  const partition = partitionOfArn(report.users[0]?.arn ?? '') ?? 'aws';
  const findings = staleCredentialFindings(report, { identity: { accountId, region, partition }, now });
  return JSON.stringify(findings, null, 2) + '\n';
}

/**
 * The Region the findings name in their ProductArn: the SDK's own setting (AWS_REGION, the
 * profile's region) as `client` resolves it. A credential report file says nothing about Regions
 * (IAM is global), so with none set the command is refused rather than guessing one: findings
 * imported into another Region's Security Hub than their ProductArn names are refused there.
 */
export async function asffRegion(client: { config: { region: () => Promise<string> } }): Promise<string> {
  try {
    return await client.config.region();
  } catch (error) {
    throw new InvalidConfigError(
      '--format asff needs the Region of the Security Hub the findings go to: set AWS_REGION, e.g. AWS_REGION=us-east-1',
      { cause: error },
    );
  }
}
