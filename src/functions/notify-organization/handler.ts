import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { S3Objects } from '../../adapters/s3/objects';
import { SnsPublisher } from '../../adapters/sns/publisher';
import {
  parseOrganizationReportLocation,
  parseOrganizationSummary,
} from '../../contracts/organization-report';
import { buildOrganizationMessage } from '../../domain/notification/organization-message';
import { inOwnBucket } from '../../contracts/report-location';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import type { NotifyResult } from '../notify/handler';
import { readNotifyOrganizationConfig } from './config';

export interface NotifyOrganizationDependencies {
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The last step of an organisation run: one email for the whole organisation, from the organisation
 * report's summary (the report without its users, so memory does not grow with the organisation).
 */
export function createNotifyOrganizationHandler(deps: NotifyOrganizationDependencies) {
  return middy<unknown, NotifyResult>()
    .use(lambdaLogging('notifyOrganization'))
    .handler(async (event) => {
      const config = readNotifyOrganizationConfig(deps.env);
      const location = parseOrganizationReportLocation(event, 'notifyOrganization');
      inOwnBucket(location, config.reportBucket, 'notifyOrganization');
      const objects = new S3Objects(config.reportBucket, deps.s3);
      const summary = parseOrganizationSummary(
        await objects.readJson(location.summaryKey),
        objects.where(location.summaryKey),
      );
      const message = buildOrganizationMessage(summary, {
        language: config.language,
        location,
        memberRoleName: config.memberRoleName,
        notifyWhenClean: config.notifyWhenClean,
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

export const handler = createNotifyOrganizationHandler({
  s3: new S3Client({}),
  sns: new SNSClient({}),
  env: process.env,
});
