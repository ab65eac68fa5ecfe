import type { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createIamClient } from '../../adapters/iam/client';
import { IamLiveAccess } from '../../adapters/iam/live-access';
import { SsmLiveParameters } from '../../adapters/ssm/live-parameters';
import { parseReportLocation, requireVersion, inOwnBucket } from '../../contracts/report-location';
import type { ScanResult } from '../../contracts/scan-result';
import type { RemediationSummary } from '../../domain/remediation/summary';
import { InvalidInputError } from '../../lib/errors';
import { lambdaLogging } from '../../lib/lambda-logging';
import { runDisable } from '../shared/disable-run';
import { fetchLiveSettings, readDisableEnvironment } from '../shared/remediation-config';

export type DisableResult = ScanResult & { remediation: RemediationSummary };

export interface DisableDependencies {
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  readonly clock: () => Date;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The opt-in step between scan and notify. It trusts only what it verifies itself:
 * - its settings, parsed before any AWS call;
 * - the threshold, mode and key switch, read live from SSM on every invocation (no cache);
 * - the report: from the stack's own bucket, exactly the version the scan wrote, validated whole,
 *   of the account the function runs in, at the key its content belongs at, evaluated under an
 *   hour ago with the threshold now in SSM, and, before a plan is acted on, listing no more users
 *   than the account has.
 * Any doubt fails the invocation before an IAM write (the state machine then alerts the operators
 * with the reason). The plan is refused whole on scan errors, a cap or the floor; every credential
 * is re-read just before acting; each IAM write is written ahead to the audit trail in S3; the run
 * stops starting actions well before its time limit.
 */
export function createDisableHandler(deps: DisableDependencies) {
  const parameters = new SsmLiveParameters(deps.ssm);
  const iam = new IamLiveAccess(deps.iam);
  return middy<ScanResult, DisableResult, Error, Context>()
    .use(lambdaLogging('disable'))
    .handler(async (event, context) => {
      const env = readDisableEnvironment(deps.env);
      const accountId = accountOf(context);
      const location = requireVersion(parseReportLocation(event, 'disable'), 'disable');
      inOwnBucket(location, env.reportBucket, 'disable');
      const live = await fetchLiveSettings(parameters, env.parameters);
      const remediation = await runDisable(
        {
          env,
          live,
          location,
          accountId,
          accountOrigin: 'function',
          runId: context.awsRequestId,
          remainingMs: () => context.getRemainingTimeInMillis(),
        },
        { s3: deps.s3, iam, clock: deps.clock },
      );
      return { ...event, remediation };
    });
}

/** The account the function runs in, from its own ARN (`arn:aws:lambda:<region>:<account>:function:<name>`). */
function accountOf(context: Context): string {
  const account = context.invokedFunctionArn?.split(':')[4];
  if (!account || !/^\d{12}$/.test(account)) {
    throw new InvalidInputError(
      `cannot tell the account this function runs in from its ARN ${JSON.stringify(context.invokedFunctionArn)}`,
    );
  }
  return account;
}

export const handler = createDisableHandler({
  iam: createIamClient(),
  s3: new S3Client({}),
  ssm: new SSMClient({}),
  clock: () => new Date(),
  env: process.env,
});
