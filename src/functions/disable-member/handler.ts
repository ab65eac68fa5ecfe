import type { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import middy from '@middy/core';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { Context } from 'aws-lambda';
import { createIamClient } from '../../adapters/iam/client';
import { IamLiveAccess } from '../../adapters/iam/live-access';
import { S3Objects } from '../../adapters/s3/objects';
import { SsmLiveParameters } from '../../adapters/ssm/live-parameters';
import { callerIdentity } from '../../adapters/sts/caller-identity';
import {
  MemberRoleAssumer,
  MemberRoleError,
  memberSessionName,
  partitionOf,
} from '../../adapters/sts/member-role';
import {
  parseDisableMemberEvent,
  parseOrganizationRemediationPlan,
  type MemberRemediationResult,
} from '../../contracts/organization-remediation';
import { accountFailure } from '../../domain/organization/account-outcome';
import { liveSettingsDisallow, planDisallows } from '../../domain/organization/remediation-plan';
import { InvalidInputError } from '../../lib/errors';
import { inOwnBucket } from '../../contracts/report-location';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { runDisable } from '../shared/disable-run';
import { fetchLiveSettings } from '../shared/remediation-config';
import { readDisableMemberEnvironment } from './config';

export interface DisableMemberDependencies {
  /** STS with the function's own credentials: AssumeRole into the member remediation role. */
  readonly sts: STSClient;
  /** STS with a member session's credentials: who that session is. */
  readonly stsFor: (credentials: AwsCredentialIdentity) => STSClient;
  /** IAM with a member session's credentials (the same retries as every IAM client). */
  readonly iamFor: (credentials: AwsCredentialIdentity) => IAMClient;
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  readonly clock: () => Date;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * One item of the organisation's remediation map: the single-account disable step, run in one
 * member account through its member remediation role. Before any session is opened it checks its
 * input against the run's plan, read at the version the plan step wrote (only that step may write
 * there): the plan is this run's, it lets this account act, on exactly this version of its report.
 * Then it assumes the member remediation role and asks the session itself which account it is in
 * (sts:GetCallerIdentity): that account, never the report's word, is what the report must belong
 * to. Then the same guards and code as one account (runDisable), on no more actions than the plan
 * allowed this account, with the audit trail under `audit/<account>/`. A missing or untrusting
 * member remediation role is that account's result (`role-unavailable`), not an error; anything
 * else that goes wrong before an IAM write throws, and the map records it as the account's failure.
 */
export function createDisableMemberHandler(deps: DisableMemberDependencies) {
  const parameters = new SsmLiveParameters(deps.ssm);
  return middy<unknown, MemberRemediationResult, Error, Context>()
    .use(lambdaLogging('disableMember'))
    .handler(async (event, context) => {
      const env = readDisableMemberEnvironment(deps.env);
      const { account, report: location, run, plan: planLocation } = parseDisableMemberEvent(event);
      logger.appendKeys({ accountId: account.accountId });
      inOwnBucket(location, env.reportBucket, 'disableMember');
      inOwnBucket(planLocation, env.reportBucket, 'disableMember');
      const objects = new S3Objects(env.reportBucket, deps.s3);
      const plan = parseOrganizationRemediationPlan(
        await objects.readJson(planLocation.key, 'plan ', planLocation.versionId),
        objects.where(planLocation.key),
      );
      const disallowed = planDisallows(plan, {
        runName: run.name,
        accountId: account.accountId,
        report: { key: location.key, versionId: location.versionId },
      });
      if (disallowed) {
        throw new InvalidInputError(
          `disableMember refuses to act in ${account.accountId}: ${disallowed}; no IAM change was made`,
        );
      }
      const allowance = plan.accounts.find((a) => a.accountId === account.accountId)?.actions ?? 0;
      const live = await fetchLiveSettings(parameters, env.parameters);
      const changed = liveSettingsDisallow(plan, live);
      if (changed) {
        throw new InvalidInputError(
          `disableMember refuses to act in ${account.accountId}: ${changed}; no IAM change was made`,
        );
      }

      const assumer = new MemberRoleAssumer({
        client: deps.sts,
        roleName: env.memberRemediationRoleName,
        partition: partitionOf(context.invokedFunctionArn),
        sessionName: memberSessionName(run.name),
      });
      let credentials: AwsCredentialIdentity;
      try {
        credentials = await assumer.assume(account.accountId);
      } catch (error) {
        if (!(error instanceof MemberRoleError)) throw error;
        logger.warn('member remediation role not assumed', { error: error.message });
        return { status: 'failed', account, error: accountFailure('role-unavailable', error.message) };
      }
      const session = await callerIdentity(deps.stsFor(credentials));
      if (session.accountId !== account.accountId) {
        throw new InvalidInputError(
          `the member remediation session is in account ${session.accountId} (${session.arn}), not in ${account.accountId}; no IAM change was made`,
        );
      }

      const remediation = await runDisable(
        {
          env,
          live,
          location,
          accountId: session.accountId,
          accountOrigin: 'member-session',
          runId: context.awsRequestId,
          remainingMs: () => context.getRemainingTimeInMillis(),
          allowance,
        },
        { s3: deps.s3, iam: new IamLiveAccess(deps.iamFor(credentials)), clock: deps.clock },
      );
      return { status: 'done', account, remediation };
    });
}

export const handler = createDisableMemberHandler({
  sts: new STSClient({ maxAttempts: 5 }),
  stsFor: (credentials) => new STSClient({ credentials, maxAttempts: 5 }),
  iamFor: (credentials) => createIamClient({ overrides: { credentials } }),
  s3: new S3Client({}),
  ssm: new SSMClient({}),
  clock: () => new Date(),
  env: process.env,
});
