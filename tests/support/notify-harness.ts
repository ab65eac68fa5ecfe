import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createNotifyHandler } from '../../src/functions/notify/handler';
import { logger } from '../../src/lib/logger';
import { LOCATION } from './report-builder';
import { s3Body } from './s3-body';
import { defaultSettingsEnvironment } from './function-environment';

/**
 * The notify function under test with S3 and SNS mocked at the SDK client: the report is served
 * from LOCATION, and every publish succeeds with PUBLISHED_MESSAGE_ID. Call setUpNotifyMocks() once
 * per test file.
 */
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:stale-iam-test-operators';
export const NOTIFY_ENV = {
  ...defaultSettingsEnvironment('notify'),
  TOPIC_ARN,
  REPORT_BUCKET: LOCATION.bucket,
};
export const PUBLISHED_MESSAGE_ID = 'c0ffee00-1111-2222-3333-444455556666';

export const s3 = mockClient(S3Client);
export const sns = mockClient(SNSClient);

export function setUpNotifyMocks(): void {
  beforeAll(() => logger.setLogLevel('SILENT'));
  beforeEach(() => {
    s3.reset();
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: PUBLISHED_MESSAGE_ID });
  });
}

export function notifyHandler(env: NodeJS.ProcessEnv = NOTIFY_ENV) {
  return createNotifyHandler({ s3: new S3Client({}), sns: new SNSClient({}), env });
}

/** Serves `report` (any JSON, valid or not) as the stored report. */
export function storeReport(report: unknown): void {
  // A fresh stream per read: a GetObject body can be consumed only once.
  s3.on(GetObjectCommand, { Bucket: LOCATION.bucket, Key: LOCATION.key }).callsFake(() => ({
    Body: s3Body(JSON.stringify(report)),
  }));
}

/** The one message published; fails the test when nothing was. */
export function published(): { Subject?: string; Message?: string; TopicArn?: string } {
  const [call] = sns.commandCalls(PublishCommand);
  if (!call) throw new Error('nothing was published');
  return call.args[0].input;
}
