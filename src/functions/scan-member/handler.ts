import type { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import middy from '@middy/core';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { Context } from 'aws-lambda';
import { createIamClient } from '../../adapters/iam/client';
import { IamExemptionDirectory } from '../../adapters/iam/exemption-directory';
import { classifyScanFailure } from '../../adapters/iam/scan-failure';
import { S3ReportStore } from '../../adapters/s3/report-store';
import { MemberRoleAssumer, memberSessionName, partitionOf } from '../../adapters/sts/member-role';
import { parseMemberScanEvent, type AccountScanResult } from '../../contracts/member-scan';
import { accountStatusOf } from '../../domain/organization/organization-report';
import { scanMemberAccount } from '../../domain/organization/scan-member-account';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { runDeadline } from '../../lib/time-budget';
import { userSourceFor } from '../shared/user-source';
import { readScanMemberConfig } from './config';

export interface ScanMemberDependencies {
  readonly sts: STSClient;
  /** The IAM client for a member account's credentials (the same retries as the single-account scan). */
  readonly iamFor: (credentials: AwsCredentialIdentity) => IAMClient;
  readonly s3: S3Client;
  readonly clock: () => Date;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * One item of the organisation map: assumes the member role in the account, runs the same scan as
 * the single-account service (same sources, exemptions and time limits) at the run's instant and
 * threshold, writes the report under `reports/<account>/` in the stack's own bucket, and returns
 * the outcome. Something wrong in the account (no role, a denied call, throttling, a credential
 * report that never comes) is returned as a `failed` outcome with its reason, not thrown: one
 * account never fails the run.
 */
export function createScanMemberHandler(deps: ScanMemberDependencies) {
  return middy<unknown, AccountScanResult, Error, Context>()
    .use(lambdaLogging('scanMember'))
    .handler(async (event, context) => {
      const config = readScanMemberConfig(deps.env);
      const { account, run } = parseMemberScanEvent(event);
      logger.appendKeys({ accountId: account.accountId });
      const assumer = new MemberRoleAssumer({
        client: deps.sts,
        roleName: config.memberRoleName,
        partition: partitionOf(context.invokedFunctionArn),
        sessionName: memberSessionName(run.name),
      });
      const deadline = runDeadline(() => context.getRemainingTimeInMillis());
      const scanned = await scanMemberAccount(account, {
        open: async ({ accountId }) => {
          const iam = deps.iamFor(await assumer.assume(accountId));
          return { source: userSourceFor(iam, config), exemptionDirectory: new IamExemptionDirectory(iam) };
        },
        scan: {
          thresholdDays: run.thresholdDays,
          scope: 'all',
          now: run.evaluatedAt,
          clock: deps.clock,
          shouldStop: deadline.shouldStop,
          abortSignal: deadline.abortSignal,
        },
        exemptionRules: config.exemptions,
        failureOf: classifyScanFailure,
      }).finally(deadline.dispose);
      if (scanned.status === 'failed') {
        logger.warn('account not scanned', { kind: scanned.error.kind, error: scanned.error.message });
        return scanned;
      }
      const { report } = scanned;
      const location = await new S3ReportStore({ bucket: config.reportBucket, client: deps.s3 }).save(report);
      logger.info('account scanned', { ...report.summary, partial: report.partial, location });
      return { status: accountStatusOf(report), account, report: location, summary: report.summary };
    });
}

export const handler = createScanMemberHandler({
  sts: new STSClient({ maxAttempts: 5 }),
  iamFor: (credentials) => createIamClient({ overrides: { credentials } }),
  s3: new S3Client({}),
  clock: () => new Date(),
  env: process.env,
});
