import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { putNewAuditObject } from '../../adapters/s3/audit-log';
import { S3Objects } from '../../adapters/s3/objects';
import { S3ReportStore } from '../../adapters/s3/report-store';
import { SsmLiveParameters } from '../../adapters/ssm/live-parameters';
import {
  jsonOfPlan,
  parsePlanRemediationEvent,
  type RemediationItem,
  type RemediationRun,
} from '../../contracts/organization-remediation';
import { parseOrganizationSummary } from '../../contracts/organization-report';
import type { OrganizationAccountEntry } from '../../domain/organization/organization-report';
import {
  accountsThatAct,
  planOrganizationRemediation,
  type AccountPlanInput,
} from '../../domain/organization/remediation-plan';
import { planRemediation } from '../../domain/remediation/plan';
import { distrustOf, explainDistrust } from '../../domain/remediation/trust';
import { organizationPlanKey, runKeys } from '../../domain/report/object-keys';
import { DAY_MS } from '../../domain/verdict/threshold';
import { InvalidInputError } from '../../lib/errors';
import { inOwnBucket } from '../../contracts/report-location';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { fetchLiveSettings, plannerSettings, type LiveSettings } from '../shared/remediation-config';
import { readPlanRemediationEnvironment, type PlanRemediationEnvironment } from './config';

export interface PlanRemediationDependencies {
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  readonly clock: () => Date;
  readonly env: NodeJS.ProcessEnv;
}

export type PlanRemediationResult = Record<string, unknown> & { remediation: RemediationRun };

/**
 * Organisation mode with remediation, after the roll-up: plans every completely scanned account
 * from its own report, read at the version its scan wrote and trusted as the disable step trusts a
 * report (that account's, at its key, recent, judged with the threshold now in SSM), with the same
 * planner, caps and floor; accounts scanned partially or not at all get nothing. The plans that may
 * act are added up and held against maxActionsPerOrganization: over it, no account acts. The plan
 * is written under audit/organization/ (never overwritten; each member's disable step checks its
 * own plan against it), and the accounts that may act under runs/ for the next map. Nothing is
 * done in IAM here.
 */
export function createPlanRemediationHandler(deps: PlanRemediationDependencies) {
  const parameters = new SsmLiveParameters(deps.ssm);
  return middy<unknown, PlanRemediationResult, Error, Context>()
    .use(lambdaLogging('planRemediation'))
    .handler(async (event, context) => {
      const env = readPlanRemediationEnvironment(deps.env);
      const { run, report: location } = parsePlanRemediationEvent(event);
      inOwnBucket(location, env.reportBucket, 'planRemediation');
      const objects = new S3Objects(env.reportBucket, deps.s3);
      const summary = parseOrganizationSummary(
        await objects.readJson(location.summaryKey),
        objects.where(location.summaryKey),
      );
      if (summary.evaluatedAt.getTime() !== run.evaluatedAt.getTime()) {
        throw new InvalidInputError(
          `the organisation report ${location.key} was evaluated at ${summary.evaluatedAt.toISOString()}, not at run ${run.name}'s ${run.evaluatedAt.toISOString()}`,
        );
      }
      const live = await fetchLiveSettings(parameters, env.parameters);
      const reports = new S3ReportStore({ bucket: env.reportBucket, client: deps.s3 });
      const inputs: AccountPlanInput[] = [];
      for (const account of summary.accounts) {
        inputs.push(await accountPlan(account, { env, live, reports, now: deps.clock() }));
      }
      const plannedAt = deps.clock();
      const plan = planOrganizationRemediation(inputs, {
        runName: run.name,
        evaluatedAt: run.evaluatedAt,
        plannedAt,
        thresholdDays: live.thresholdDays,
        mode: live.mode,
        deactivateAccessKeys: live.deactivateAccessKeys,
        maxActionsPerOrganization: env.maxActionsPerOrganization,
      });

      const planKey = organizationPlanKey(run.evaluatedAt, context.awsRequestId);
      const versionId = await putNewAuditObject({
        client: deps.s3,
        bucket: env.reportBucket,
        key: planKey,
        body: JSON.stringify(jsonOfPlan(plan)),
        contentType: 'application/json',
        lockUntil:
          env.auditLockDays !== null ? new Date(plannedAt.getTime() + env.auditLockDays * DAY_MS) : null,
      });
      if (!versionId || versionId === 'null') {
        // Without a version the members could not read exactly this plan: none acts.
        throw new InvalidInputError(
          `the plan ${objects.where(planKey)} has no S3 version id; is versioning on for the report bucket?`,
        );
      }
      const items: RemediationItem[] = accountsThatAct(plan).flatMap((entry) =>
        entry.report
          ? [
              {
                account: { accountId: entry.accountId, name: entry.name },
                report: {
                  bucket: env.reportBucket,
                  key: entry.report.key,
                  csvKey: entry.report.key.replace(/\.json$/, '.csv'),
                  versionId: entry.report.versionId,
                },
              },
            ]
          : [],
      );
      const itemsKey = runKeys(run.name).remediationKey;
      await objects.writeJson(itemsKey, items);
      const decisions: Record<string, number> = {};
      for (const a of plan.accounts) decisions[a.decision] = (decisions[a.decision] ?? 0) + 1;
      logger.info('organization remediation planned', {
        mode: plan.mode,
        planned: plan.planned,
        refused: plan.refused?.code ?? null,
        ...decisions,
        planKey,
      });
      return {
        ...(event as Record<string, unknown>),
        remediation: {
          plan: { bucket: env.reportBucket, key: planKey, versionId },
          mode: plan.mode,
          planned: plan.planned,
          refused: plan.refused !== null,
          accounts: { bucket: env.reportBucket, key: itemsKey, count: items.length },
        },
      };
    });
}

/**
 * One account's part of the plan: nothing for an account not completely scanned, nothing for one
 * whose report cannot be read or trusted (the reason is kept), else the plan of its own report.
 */
async function accountPlan(
  entry: OrganizationAccountEntry,
  context: {
    env: PlanRemediationEnvironment;
    live: LiveSettings;
    reports: S3ReportStore;
    now: Date;
  },
): Promise<AccountPlanInput> {
  const account = { accountId: entry.accountId, name: entry.name };
  if (entry.status !== 'complete') return { account, status: 'not-scanned', scanStatus: entry.status };
  const stored = entry.report;
  if (!stored?.versionId) {
    return { account, status: 'refused', reason: 'its report has no S3 version id to read it at' };
  }
  const version = { key: stored.key, versionId: stored.versionId };
  let report;
  try {
    report = await context.reports.loadVersion(version);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn('account report not planned', { accountId: account.accountId, reason });
    return { account, status: 'refused', reason };
  }
  const distrust = distrustOf(report, {
    accountId: account.accountId,
    accountOrigin: 'organization-report',
    key: stored.key,
    now: context.now,
    thresholdDays: context.live.thresholdDays,
  });
  if (distrust) return { account, status: 'refused', reason: explainDistrust(distrust) };
  const plan = planRemediation(report, plannerSettings(context.env, context.live));
  return { account, status: 'planned', report: version, plan };
}

export const handler = createPlanRemediationHandler({
  s3: new S3Client({}),
  ssm: new SSMClient({}),
  clock: () => new Date(),
  env: process.env,
});
