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
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { createSecurityHubClient } from '../../adapters/securityhub/client';
import { SecurityHubFindingsStore } from '../../adapters/securityhub/findings-store';
import type { ReportLocation } from '../../contracts/report-location';
import { syncFindings } from '../../domain/findings/sync';
import type { AccountFindings } from '../../domain/organization/account-outcome';
import type { ScanReport } from '../../domain/report/scan-report';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { runDeadline } from '../../lib/time-budget';
import { userSourceFor } from '../shared/user-source';
import { readScanMemberConfig } from './config';

export interface ScanMemberDependencies {
  readonly sts: STSClient;
  /** The IAM client for a member account's credentials (the same retries as the single-account scan). */
  readonly iamFor: (credentials: AwsCredentialIdentity) => IAMClient;
  /** The Security Hub client for a member account's credentials, in the function's Region (securityHub=true). */
  readonly securityHubFor: (credentials: AwsCredentialIdentity) => SecurityHubClient;
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
      let session: AwsCredentialIdentity | undefined;
      const scanned = await scanMemberAccount(account, {
        open: async ({ accountId }) => {
          session = await assumer.assume(accountId);
          const iam = deps.iamFor(session);
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
      const result = { status: accountStatusOf(report), account, report: location, summary: report.summary };
      if (!config.securityHub || !session) return result;
      const findings = await importFindings(report, {
        client: deps.securityHubFor(session),
        partition: partitionOf(context.invokedFunctionArn),
        location,
        now: deps.clock(),
        remainingMs: () => context.getRemainingTimeInMillis(),
      });
      return { ...result, findings };
    });
}

/**
 * The account's Security Hub findings, imported in the account itself (the default product's
 * `AwsAccountId` must be the importing account) through the member role's session: what the
 * findings step does for one account. A failure here, or running out of time, is the account's
 * findings' only: it is returned as such, never thrown, so the account's scan (its report is
 * written already) and the run go on.
 */
async function importFindings(
  report: ScanReport,
  context: {
    client: SecurityHubClient;
    partition: string;
    location: ReportLocation;
    now: Date;
    remainingMs: () => number;
  },
): Promise<AccountFindings> {
  const deadline = runDeadline(context.remainingMs);
  try {
    const accountId = report.accountId ?? '';
    const identity = {
      accountId,
      partition: context.partition,
      region: await context.client.config.region(),
    };
    const sync = syncFindings(report, {
      store: new SecurityHubFindingsStore({ client: context.client, identity }),
      identity,
      now: context.now,
      location: context.location,
    });
    const outcome = await Promise.race([sync, rejectOnAbort(deadline.abortSignal)]);
    logger.info('findings imported into Security Hub', { ...outcome });
    return outcome;
  } catch (error) {
    const failure = {
      status: 'failed' as const,
      error: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
    };
    logger.warn('findings not imported into Security Hub', failure);
    return failure;
  } finally {
    deadline.dispose();
  }
}

/** Rejects once `signal` aborts: the function is about to reach its time limit. */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () =>
      reject(
        new FindingsTimeLimitError(
          "the import did not finish within the function's time limit; Security Hub may hold part of this run's findings",
        ),
      ),
    );
  });
}

class FindingsTimeLimitError extends Error {
  override name = 'FindingsTimeLimitError';
}

export const handler = createScanMemberHandler({
  sts: new STSClient({ maxAttempts: 5 }),
  iamFor: (credentials) => createIamClient({ overrides: { credentials } }),
  securityHubFor: (credentials) => createSecurityHubClient({ overrides: { credentials } }),
  s3: new S3Client({}),
  clock: () => new Date(),
  env: process.env,
});
