import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { accountFailure } from '../../../src/domain/organization/account-outcome';
import { OrganizationReportWriter } from '../../../src/domain/organization/organization-report';
import { createNotifyOrganizationHandler } from '../../../src/functions/notify-organization/handler';
import { InvalidInputError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { defaultSettingsEnvironment } from '../../support/function-environment';
import {
  BUCKET,
  HEAD,
  MemorySink,
  account,
  accountReport,
  locationOf,
} from '../../support/organization-builders';
import { rejectionOf } from '../../support/rejection';
import { activeUser, password, staleUser } from '../../support/report-builder';
import { s3Body } from '../../support/s3-body';

const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:stale-iam-test';
const ENV = { ...defaultSettingsEnvironment('notifyOrganization'), TOPIC_ARN, REPORT_BUCKET: BUCKET };
const KEY = 'reports/organization/2026/11/28/organization-2026-11-28T000000Z';
const EVENT = {
  report: { bucket: BUCKET, key: `${KEY}.json`, csvKey: `${KEY}.csv`, summaryKey: `${KEY}.summary.json` },
  summary: {},
};

async function storeSummary(failed: boolean, stale = 1) {
  const writer = new OrganizationReportWriter(HEAD, { json: new MemorySink(), csv: new MemorySink() });
  await writer.begin();
  const report = accountReport('111111111111', [
    ...Array.from({ length: stale }, (_, i) => staleUser(`s${i}`, password(200))),
    activeUser('mika'),
  ]);
  await writer.addReport(account('111111111111'), report, locationOf(report));
  if (failed)
    writer.addFailure(account('111122223333', 'legacy'), accountFailure('role-unavailable', 'AccessDenied'));
  const summary = await writer.end([]);
  serveSummary(summary);
  return summary;
}

function serveSummary(summary: unknown) {
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: `${KEY}.summary.json` }).callsFake(() => ({
    Body: s3Body(JSON.stringify(summary)),
  }));
}

function handler(env: NodeJS.ProcessEnv = ENV) {
  return createNotifyOrganizationHandler({ s3: new S3Client({}), sns: new SNSClient({}), env });
}

beforeAll(() => logger.setLogLevel('SILENT'));

beforeEach(() => {
  s3.reset();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('notifyOrganization: one email for the organisation', () => {
  it("publishes one message from the report's summary, naming the member role that is missing", async () => {
    await storeSummary(true);

    const result = await handler({ ...ENV, MEMBER_ROLE_NAME: 'audit-reader' })(EVENT, {} as never);

    expect(result).toEqual({
      published: true,
      subject: expect.stringContaining('in 2 accounts, 1 FAILED'),
      messageId: 'm-1',
    });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const { Message, TopicArn, Subject } = sns.commandCalls(PublishCommand)[0]?.args[0].input ?? {};
    expect(TopicArn).toBe(TOPIC_ARN);
    expect(Subject).toBe(result.subject);
    expect(Message).toContain('member role audit-reader missing in 111122223333');
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      `${KEY}.summary.json`,
    ]);
  });

  it('sends nothing when there is nothing to say and no all-clear was asked for', async () => {
    await storeSummary(false, 0);

    const result = await handler()(EVENT, {} as never);

    expect(result).toEqual({ published: false, subject: null, messageId: null });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('refuses a summary that does not add up, and sends nothing', async () => {
    serveSummary({ ...(await storeSummary(true)), partial: false });

    const error = await rejectionOf(handler()(EVENT, {} as never));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('partial is false');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('reads only from its own bucket', async () => {
    const error = await rejectionOf(
      handler()({ report: { ...EVENT.report, bucket: 'elsewhere' } }, {} as never),
    );

    expect(error.message).toBe(
      `notifyOrganization reads reports from its own bucket ${BUCKET}, not elsewhere`,
    );
    expect(s3.calls()).toHaveLength(0);
  });
});
