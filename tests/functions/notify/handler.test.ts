import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { MAX_SUBJECT_LENGTH } from '../../../src/domain/notification/message';
import type { ScanReport } from '../../../src/domain/report/scan-report';
import type { NotifyEvent } from '../../../src/contracts/notify-event';
import { InvalidConfigError, InvalidInputError } from '../../../src/lib/errors';
import { lambdaContext } from '../../support/lambda-context';
import {
  accessKey,
  activeUser,
  buildReport,
  errorUser,
  LOCATION,
  noCredentialsUser,
  password,
  staleUser,
} from '../../support/report-builder';
import { rejectionOf } from '../../support/rejection';
import {
  PUBLISHED_MESSAGE_ID,
  TOPIC_ARN,
  NOTIFY_ENV,
  notifyHandler,
  published,
  s3,
  setUpNotifyMocks,
  sns,
  storeReport,
} from '../../support/notify-harness';

/** What the scan step returns and the state machine hands to notify. */
const SCAN_RESULT_EVENT: NotifyEvent = {
  report: LOCATION,
};

const ONE_OF_THREE_STALE = buildReport([
  activeUser('sota', password(3)),
  staleUser('ren', password(180), accessKey(1, 200, { never: true })),
  noCredentialsUser('kaito'),
]);

const CLEAN = buildReport([activeUser('sota', password(3)), noCredentialsUser('kaito')]);

setUpNotifyMocks();

describe('notify handler: one message per run', () => {
  it('reads the report from S3 and publishes exactly one message to the topic', async () => {
    storeReport(ONE_OF_THREE_STALE);
    const handler = notifyHandler();

    const result = await handler(SCAN_RESULT_EVENT, lambdaContext());

    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: LOCATION.bucket, Key: LOCATION.key });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, { TopicArn: TOPIC_ARN });
    expect(result).toEqual({
      published: true,
      subject: '[stale-iam] 1 of 3 users unused for more than 90 days (123456789012)',
      messageId: PUBLISHED_MESSAGE_ID,
    });
  });

  it('sends the subject operators see in their inbox', async () => {
    storeReport(ONE_OF_THREE_STALE);
    const handler = notifyHandler();

    await handler(SCAN_RESULT_EVENT, lambdaContext());

    const subject = published().Subject ?? '';
    expect(subject).toBe('[stale-iam] 1 of 3 users unused for more than 90 days (123456789012)');
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(MAX_SUBJECT_LENGTH).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('sends a body naming the stale user and where the full report is', async () => {
    storeReport(ONE_OF_THREE_STALE);
    const handler = notifyHandler();

    await handler(SCAN_RESULT_EVENT, lambdaContext());

    const body = published().Message ?? '';
    expect(body).toContain('stale-iam report for AWS account 123456789012');
    expect(body.split('\n').some((line) => line.startsWith('ren '))).toBe(true);
    expect(body).toContain(`s3://${LOCATION.bucket}/${LOCATION.key}`);
    expect(body).toContain(`s3://${LOCATION.bucket}/${LOCATION.csvKey}`);
  });

  it('writes the body in Japanese when NOTIFY_LANGUAGE is ja, keeping the subject ASCII', async () => {
    storeReport(ONE_OF_THREE_STALE);
    const handler = notifyHandler({ ...NOTIFY_ENV, NOTIFY_LANGUAGE: 'ja' });

    await handler(SCAN_RESULT_EVENT, lambdaContext());

    const { Subject, Message } = published();
    expect(Subject).toBe('[stale-iam] 1 of 3 users unused for more than 90 days (123456789012)');
    expect(Subject).toMatch(/^[\x20-\x7e]+$/);
    expect(Message).toContain('stale-iam レポート: AWS アカウント 123456789012');
    expect(Message).toContain('90 日を超えて使用されていない IAM ユーザー (1 人):');
  });

  it('refuses a report whose summary disagrees with its users, publishing nothing', async () => {
    const users = [staleUser('ren'), errorUser('locked', 'AccessDenied: iam:ListAccessKeys')];
    storeReport(buildReport(users, { summary: { ...buildReport(users).summary, errors: 0 } }));
    const handler = notifyHandler();

    const error = await rejectionOf(handler(SCAN_RESULT_EVENT, lambdaContext()));

    expect(error.message).toContain('summary.errors is 0, but the users listed give 1');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });
});

describe('notify handler: nothing to say, no email', () => {
  it('publishes nothing when no user is stale, none holds a stale credential and none failed', async () => {
    storeReport(CLEAN);
    const handler = notifyHandler();

    const result = await handler(SCAN_RESULT_EVENT, lambdaContext());

    expect(result).toEqual({ published: false, subject: null, messageId: null });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('publishes nothing when NOTIFY_WHEN_CLEAN is false', async () => {
    storeReport(CLEAN);
    const handler = notifyHandler({ ...NOTIFY_ENV, NOTIFY_WHEN_CLEAN: 'false' });

    await handler(SCAN_RESULT_EVENT, lambdaContext());

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('sends an all-clear when NOTIFY_WHEN_CLEAN=true', async () => {
    storeReport(CLEAN);
    const handler = notifyHandler({ ...NOTIFY_ENV, NOTIFY_WHEN_CLEAN: 'true' });

    const result = await handler(SCAN_RESULT_EVENT, lambdaContext());

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(result.published).toBe(true);
    expect(published().Subject).toBe('[stale-iam] no users unused for more than 90 days (123456789012)');
    expect(published().Message).toContain('No IAM user has gone unused for more than 90 days.');
  });

  it('still publishes with 0 stale users when an active user holds a stale credential', async () => {
    storeReport(buildReport([activeUser('haruto', accessKey(1, 1), accessKey(2, 330))]));
    const handler = notifyHandler();

    await handler(SCAN_RESULT_EVENT, lambdaContext());

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(published().Message).toContain(
      'Active users still holding a credential unused for more than 90 days (1 user):',
    );
  });

  it('still publishes with 0 stale users when some users could not be evaluated', async () => {
    storeReport(
      buildReport([activeUser('sota'), errorUser('locked-down', 'AccessDenied: iam:ListAccessKeys')]),
    );
    const handler = notifyHandler();

    await handler(SCAN_RESULT_EVENT, lambdaContext());

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(published().Subject).toBe(
      '[stale-iam] PARTIAL scan: no users unused for more than 90 days, 1 not evaluated (123456789012)',
    );
  });
});

describe('notify handler: bad input fails the run without publishing', () => {
  it.each<[string, unknown]>([
    ['an empty event', {}],
    ['null', null],
    ['a report without csvKey', { report: { bucket: LOCATION.bucket, key: LOCATION.key } }],
    ['a report whose key is not a string', { report: { ...LOCATION, key: 42 } }],
    ['the report itself instead of its location', { report: ONE_OF_THREE_STALE }],
  ])('rejects %s, reading nothing and publishing nothing', async (_what, event) => {
    storeReport(ONE_OF_THREE_STALE);
    const handler = notifyHandler();

    const error = await rejectionOf(handler(event as NotifyEvent, lambdaContext()));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe('notify expects { report: { bucket, key, csvKey } } from the scan step');
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('rejects a report with another schemaVersion and publishes nothing', async () => {
    const future: Omit<ScanReport, 'schemaVersion'> & { schemaVersion: number } = {
      ...ONE_OF_THREE_STALE,
      schemaVersion: 2,
    };
    storeReport(future);
    const handler = notifyHandler();

    const error = await rejectionOf(handler(SCAN_RESULT_EVENT, lambdaContext()));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(
      `report s3://${LOCATION.bucket}/${LOCATION.key} has schemaVersion 2, expected 1`,
    );
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('rejects when TOPIC_ARN is not set, before reading the report', async () => {
    storeReport(ONE_OF_THREE_STALE);
    const handler = notifyHandler({});

    const error = await rejectionOf(handler(SCAN_RESULT_EVENT, lambdaContext()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe('TOPIC_ARN is not set');
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('rejects an unknown NOTIFY_LANGUAGE instead of falling back to English', async () => {
    storeReport(ONE_OF_THREE_STALE);
    const handler = notifyHandler({ ...NOTIFY_ENV, NOTIFY_LANGUAGE: 'fr' });

    const error = await rejectionOf(handler(SCAN_RESULT_EVENT, lambdaContext()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe('NOTIFY_LANGUAGE must be one of en, ja, got "fr"');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });
});
