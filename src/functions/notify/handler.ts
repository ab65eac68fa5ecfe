import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { S3ReportStore } from '../../adapters/s3/report-store';
import { SnsPublisher } from '../../adapters/sns/publisher';
import { buildOperatorMessage } from '../../domain/notification/message';
import { findingsNeedAttention, findingsSection } from '../../domain/notification/findings-section';
import { remediationSections } from '../../domain/notification/remediation-sections';
import { upcomingLosses } from '../../domain/remediation/upcoming-losses';
import { s3ConsoleObjectUrl } from '../../domain/visual-report/console-link';
import { parseNotifyEvent, type NotifyEvent } from '../../contracts/notify-event';
import { inOwnBucket } from '../../contracts/report-location';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { readNotifyConfig } from './config';

export interface NotifyResult {
  published: boolean;
  subject: string | null;
  messageId: string | null;
}

export interface NotifyDependencies {
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly env: NodeJS.ProcessEnv;
}

export function createNotifyHandler(deps: NotifyDependencies) {
  return middy<NotifyEvent, NotifyResult>()
    .use(lambdaLogging('notify'))
    .handler(async (event) => {
      const config = readNotifyConfig(deps.env);
      const {
        report: location,
        remediation,
        findings,
        findingsFailure,
        visualReport,
        visualReportFailed,
      } = parseNotifyEvent(event);
      inOwnBucket(location, config.reportBucket, 'notify');
      const report = await new S3ReportStore({ bucket: config.reportBucket, client: deps.s3 }).load(location);
      const losses = remediation
        ? upcomingLosses(report, config.warningDays, remediation.deactivateAccessKeys)
        : [];
      const securityHub = findingsSection(findings, findingsFailure, config.language);
      const message = buildOperatorMessage(report, {
        language: config.language,
        location,
        notifyWhenClean: config.notifyWhenClean,
        remediation,
        hasWarnings: losses.length > 0,
        ...(visualReport
          ? {
              visualReport: {
                url: s3ConsoleObjectUrl(visualReport.bucket, visualReport.key, deps.env.AWS_REGION),
                uri: `s3://${visualReport.bucket}/${visualReport.key}`,
              },
            }
          : {}),
        visualReportFailed: visualReportFailed === true,
        otherStepNeedsAttention: findingsNeedAttention(findings, findingsFailure),
        extraSections: [
          ...(remediation
            ? remediationSections(remediation, losses, {
                language: config.language,
                bucket: location.bucket,
                warningDays: config.warningDays,
              })
            : []),
          ...(securityHub ? [securityHub] : []),
        ],
      });
      if (!message) {
        logger.info('nothing to report, no email sent', { ...report.summary });
        return { published: false, subject: null, messageId: null };
      }
      const messageId = await new SnsPublisher({ topicArn: config.topicArn, client: deps.sns }).publish(
        message,
      );
      logger.info('operators notified', { subject: message.subject, bytes: Buffer.byteLength(message.body) });
      return { published: true, subject: message.subject, messageId: messageId ?? null };
    });
}

export const handler = createNotifyHandler({
  s3: new S3Client({}),
  sns: new SNSClient({}),
  env: process.env,
});
