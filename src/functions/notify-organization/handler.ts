import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { S3Objects } from '../../adapters/s3/objects';
import { SnsPublisher } from '../../adapters/sns/publisher';
import {
  parseNotifyOrganizationEvent,
  type NotifyOrganizationInput,
} from '../../contracts/notify-organization-event';
import {
  MEMBER_REMEDIATIONS,
  parseOrganizationRemediationPlan,
} from '../../contracts/organization-remediation';
import { parseOrganizationSummary } from '../../contracts/organization-report';
import { buildOrganizationMessage } from '../../domain/notification/organization-message';
import type { OrganizationRemediation } from '../../domain/notification/organization-remediation-sections';
import type { MemberRemediationOutcome } from '../../domain/organization/account-outcome';
import { s3ConsoleObjectUrl } from '../../domain/visual-report/console-link';
import { inOwnBucket } from '../../contracts/report-location';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import type { NotifyResult } from '../notify/handler';
import { readMapOutcomes } from '../shared/map-outcomes';
import { readNotifyOrganizationConfig } from './config';

export interface NotifyOrganizationDependencies {
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The last step of an organisation run: one email for the whole organisation, from the organisation
 * report's summary (the report without its users, so memory does not grow with the organisation),
 * with the link to its visual report, each account's findings, and, with remediation, the run's
 * plan and what each member's disable step did.
 */
export function createNotifyOrganizationHandler(deps: NotifyOrganizationDependencies) {
  return middy<unknown, NotifyResult>()
    .use(lambdaLogging('notifyOrganization'))
    .handler(async (event) => {
      const config = readNotifyOrganizationConfig(deps.env);
      const input = parseNotifyOrganizationEvent(event);
      const { report: location, visualReport } = input;
      // Every object this step reads is in the stack's own bucket: the report, the plan, the manifest.
      for (const where of [location, input.remediation?.plan, input.remediation?.manifest]) {
        if (where) inOwnBucket(where, config.reportBucket, 'notifyOrganization');
      }
      const objects = new S3Objects(config.reportBucket, deps.s3);
      const summary = parseOrganizationSummary(
        await objects.readJson(location.summaryKey),
        objects.where(location.summaryKey),
      );
      const remediation =
        input.remediation || input.remediationFailure
          ? await remediationOf(objects, input.remediation, input.remediationFailure)
          : undefined;
      const message = buildOrganizationMessage(summary, {
        language: config.language,
        location,
        memberRoleName: config.memberRoleName,
        notifyWhenClean: config.notifyWhenClean,
        ...(visualReport
          ? {
              visualReport: {
                url: s3ConsoleObjectUrl(visualReport.bucket, visualReport.key, deps.env.AWS_REGION),
                uri: `s3://${visualReport.bucket}/${visualReport.key}`,
              },
            }
          : {}),
        visualReportFailed: input.visualReportFailed === true,
        ...(remediation
          ? { remediation: { run: remediation, roleName: config.memberRemediationRoleName } }
          : {}),
      });
      if (!message) {
        logger.info('nothing to report, no email sent', {
          ...summary.summary,
          accounts: summary.accounts.length,
        });
        return { published: false, subject: null, messageId: null };
      }
      const messageId = await new SnsPublisher({ topicArn: config.topicArn, client: deps.sns }).publish(
        message,
      );
      logger.info('operators notified', { subject: message.subject, bytes: Buffer.byteLength(message.body) });
      return { published: true, subject: message.subject, messageId: messageId ?? null };
    });
}

/**
 * The run's remediation, for the email: its plan (read at the version the plan step wrote, checked
 * whole) and what each member's disable step returned (the remediation map's results, checked
 * whole); or how it failed. A plan that lets accounts act while no result came back leaves those
 * accounts without an outcome, and the email says so.
 */
async function remediationOf(
  objects: S3Objects,
  run: NotifyOrganizationInput['remediation'],
  failure: NotifyOrganizationInput['remediationFailure'],
): Promise<OrganizationRemediation> {
  const plan = run
    ? parseOrganizationRemediationPlan(
        await objects.readJson(run.plan.key, 'plan ', run.plan.versionId),
        objects.where(run.plan.key),
      )
    : null;
  const outcomes = run?.manifest
    ? await readMapOutcomes(objects, run.manifest.key, MEMBER_REMEDIATIONS)
    : new Map<string, MemberRemediationOutcome>();
  return {
    plan,
    planUri: run ? objects.where(run.plan.key) : null,
    outcomes,
    failure: failure ?? null,
  };
}

export const handler = createNotifyOrganizationHandler({
  s3: new S3Client({}),
  sns: new SNSClient({}),
  env: process.env,
});
