import type { S3Client } from '@aws-sdk/client-s3';
import { S3AuditTrail } from '../../adapters/s3/audit-log';
import { S3ReportStore } from '../../adapters/s3/report-store';
import type { ReportLocation } from '../../contracts/report-location';
import { recordReasonText } from '../../domain/notification/remediation-sections';
import { executeRemediation, type ActionRecord } from '../../domain/remediation/execute';
import { unknownOutcome } from '../../domain/remediation/journal';
import { planRemediation, withinAllowance } from '../../domain/remediation/plan';
import type { AccountCensus, LiveIam } from '../../domain/remediation/ports';
import { summarizeRecords, type RemediationSummary } from '../../domain/remediation/summary';
import { distrustOf, paddingDistrust, refusal, type AccountOrigin } from '../../domain/remediation/trust';
import { logger } from '../../lib/logger';
import { runDeadline } from '../../lib/time-budget';
import { plannerSettings, type DisableEnvironment, type LiveSettings } from './remediation-config';

/**
 * The disable step's work on one account, the same for the single-account service (the account the
 * function runs in) and for each member of an organisation (the account its remediation session is
 * in): read exactly the version of the report the scan wrote, validated whole; refuse it unless it
 * is that account's, at the key its content belongs at, recent, judged with the threshold now in
 * SSM, every user an ARN of that account; plan with the caps, the floor and the exemptions (and,
 * in an organisation, no more actions than its plan allowed); before acting, check the report lists
 * no more users than IAM counts there; then act with the live re-check of every credential, each IAM
 * write written ahead to the audit trail under `audit/<account>/`, stopping well before the time
 * limit. Any doubt throws before an IAM write.
 */

export interface DisableRunInput {
  readonly env: DisableEnvironment;
  readonly live: LiveSettings;
  /** In the stack's own bucket (checked by the caller), with the version the scan wrote. */
  readonly location: ReportLocation & { readonly versionId: string };
  /** The account the run acts in, as the caller verified it (never taken from the report). */
  readonly accountId: string;
  /** How the caller verified it: the function's own account, or a member session's. */
  readonly accountOrigin: AccountOrigin;
  /** The Lambda request id: names the audit folder of this run. */
  readonly runId: string;
  readonly remainingMs: () => number;
  /** Organisation mode: the most actions the organisation's plan allowed this account. */
  readonly allowance?: number;
}

export interface DisableRunDependencies {
  readonly s3: S3Client;
  /** IAM of the account the run acts in: the re-check, the writes and the user count. */
  readonly iam: LiveIam & AccountCensus;
  readonly clock: () => Date;
}

export async function runDisable(
  input: DisableRunInput,
  deps: DisableRunDependencies,
): Promise<RemediationSummary> {
  const { env, live, location, accountId } = input;
  const report = await new S3ReportStore({ bucket: env.reportBucket, client: deps.s3 }).loadVersion(location);
  const where = `s3://${location.bucket}/${location.key} (version ${location.versionId})`;
  const distrust = distrustOf(report, {
    accountId,
    accountOrigin: input.accountOrigin,
    key: location.key,
    now: deps.clock(),
    thresholdDays: live.thresholdDays,
  });
  if (distrust) throw refusal(distrust, where);
  const own = planRemediation(report, plannerSettings(env, live));
  const plan = input.allowance === undefined ? own : withinAllowance(own, input.allowance);
  if (!plan.blocked && plan.actions.length > 0) {
    const padded = paddingDistrust(report, await deps.iam.countUsers());
    if (padded) throw refusal(padded, where);
  }

  const runAt = deps.clock();
  const trail = new S3AuditTrail({
    bucket: env.reportBucket,
    client: deps.s3,
    accountId,
    runAt,
    runId: input.runId,
    lockDays: env.auditLockDays,
    describe: (reason) => recordReasonText(reason, 'en'),
  });
  const unknown = await settleOrphans(trail, runAt);
  const deadline = runDeadline(input.remainingMs);
  const records = [
    ...unknown,
    ...(await executeRemediation(plan, {
      mode: live.mode,
      thresholdDays: live.thresholdDays,
      rules: env.rules,
      live: deps.iam,
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
  return remediation;
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
