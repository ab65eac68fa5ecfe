import type { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createIamClient } from '../../adapters/iam/client';
import { IamLiveAccess } from '../../adapters/iam/live-access';
import { S3AuditTrail } from '../../adapters/s3/audit-log';
import { S3ReportStore } from '../../adapters/s3/report-store';
import { SsmLiveParameters } from '../../adapters/ssm/live-parameters';
import { parseReportLocation, requireVersion, inOwnBucket } from '../../contracts/report-location';
import type { ScanResult } from '../../contracts/scan-result';
import { recordReasonText } from '../../domain/notification/remediation-sections';
import { executeRemediation, type ActionRecord } from '../../domain/remediation/execute';
import { unknownOutcome } from '../../domain/remediation/journal';
import { planRemediation } from '../../domain/remediation/plan';
import { summarizeRecords, type RemediationSummary } from '../../domain/remediation/summary';
import { distrustOf, paddingDistrust, refusal } from '../../domain/remediation/trust';
import { InvalidInputError } from '../../lib/errors';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { runDeadline } from '../../lib/time-budget';
import { liveParameterNames, readDisableEnvironment, readLiveSettings } from './config';

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
      const live = readLiveSettings(
        await parameters.read(liveParameterNames(env.parameters)),
        env.parameters,
      );
      const report = await new S3ReportStore({ bucket: env.reportBucket, client: deps.s3 }).loadVersion(
        location,
      );
      const where = `s3://${location.bucket}/${location.key} (version ${location.versionId})`;
      const distrust = distrustOf(report, {
        accountId,
        key: location.key,
        now: deps.clock(),
        thresholdDays: live.thresholdDays,
      });
      if (distrust) throw refusal(distrust, where);
      const plan = planRemediation(report, {
        mode: live.mode,
        deletePasswords: true,
        deactivateAccessKeys: live.deactivateAccessKeys,
        maxActions: env.maxActions,
        maxPercent: env.maxPercent,
        minEnforceDays: env.minEnforceDays,
      });
      if (!plan.blocked && plan.actions.length > 0) {
        const padded = paddingDistrust(report, await iam.countUsers());
        if (padded) throw refusal(padded, where);
      }

      const runAt = deps.clock();
      const trail = new S3AuditTrail({
        bucket: env.reportBucket,
        client: deps.s3,
        accountId,
        runAt,
        runId: context.awsRequestId,
        lockDays: env.auditLockDays,
        describe: (reason) => recordReasonText(reason, 'en'),
      });
      const unknown = await settleOrphans(trail, runAt);
      const deadline = runDeadline(() => context.getRemainingTimeInMillis());
      const records = [
        ...unknown,
        ...(await executeRemediation(plan, {
          mode: live.mode,
          thresholdDays: live.thresholdDays,
          rules: env.rules,
          live: iam,
          clock: deps.clock,
          journal: trail,
          shouldStop: deadline.shouldStop,
        }).finally(deadline.dispose)),
      ];
      for (const r of records) {
        logger.info('remediation outcome', {
          userName: r.userName,
          action: r.action,
          outcome: r.outcome,
          reason: r.reason,
        });
      }
      await trail.writeRecords(records, {
        mode: live.mode,
        report: { key: location.key, versionId: location.versionId },
        thresholdDays: live.thresholdDays,
        deactivateAccessKeys: live.deactivateAccessKeys,
        blocked: plan.blocked,
      });
      const remediation = summarizeRecords(records, {
        mode: live.mode,
        deactivateAccessKeys: live.deactivateAccessKeys,
        auditKey: trail.recordsKey,
        blocked: plan.blocked,
        belowFloor: plan.belowFloor,
      });
      logger.info('remediation finished', {
        mode: live.mode,
        blocked: plan.blocked?.code ?? null,
        ...remediation.counts,
      });
      return { ...event, remediation };
    });
}

/**
 * Intents that earlier runs recorded and never settled (a run cut off mid-way): each is settled
 * as unknown, in the folder of the run that wrote it, and reported in this run's email. One that
 * another run settled first is left to that run's report.
 */
async function settleOrphans(trail: S3AuditTrail, now: Date): Promise<ActionRecord[]> {
  const unknown: ActionRecord[] = [];
  for (const orphan of await trail.findOrphans(now)) {
    const record = unknownOutcome(orphan, now);
    if (await trail.settleOrphan(orphan, record)) unknown.push(record);
  }
  if (unknown.length > 0)
    logger.warn('earlier runs left actions with an unknown outcome', { count: unknown.length });
  return unknown;
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
