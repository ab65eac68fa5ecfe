import { PublishCommand } from '@aws-sdk/client-sns';
import { s3ConsoleObjectUrl } from '../../../src/domain/visual-report/console-link';
import { InvalidInputError } from '../../../src/lib/errors';
import { lambdaContext } from '../../support/lambda-context';
import {
  NOTIFY_ENV,
  notifyHandler,
  published,
  setUpNotifyMocks,
  sns,
  storeReport,
} from '../../support/notify-harness';
import { LOCATION, buildReport, staleUser } from '../../support/report-builder';
import { rejectionOf } from '../../support/rejection';

const HTML_KEY = LOCATION.key.replace(/\.json$/, '.html');
const REPORT = buildReport([staleUser('ren')]);

setUpNotifyMocks();

describe('notify: the link to the visual report', () => {
  it('links to the page in the S3 console, a link that does not expire, above the report addresses', async () => {
    storeReport(REPORT);

    await notifyHandler({ ...NOTIFY_ENV, AWS_REGION: 'eu-west-1' })(
      { report: LOCATION, visualReport: { bucket: LOCATION.bucket, key: HTML_KEY } },
      lambdaContext(),
    );

    const lines = (published().Message ?? '').split('\n');
    const link = `https://s3.console.aws.amazon.com/s3/object/${LOCATION.bucket}?region=eu-west-1&prefix=${encodeURIComponent(HTML_KEY)}`;
    const at = lines.findIndex((l) => l.endsWith(link));
    expect(lines[at]).toBe(`Visual report (charts, history; sign in to the AWS console, then Open): ${link}`);
    expect(lines[at + 1]).toBe(`Full report: s3://${LOCATION.bucket}/${LOCATION.key}`);
    expect(link).not.toMatch(/X-Amz-|Signature|Expires/);
  });

  it('says the page is missing when the render step failed, and still sends the email', async () => {
    storeReport(REPORT);

    await notifyHandler()(
      { report: LOCATION, renderError: { Error: 'States.Timeout', Cause: '' } } as never,
      lambdaContext(),
    );

    expect(published().Message).toContain(
      "Visual report: not written this run (see the render function's logs)",
    );
  });

  it('says nothing about a page when there is no render step', async () => {
    storeReport(REPORT);
    await notifyHandler()({ report: LOCATION }, lambdaContext());
    expect(published().Message).not.toContain('Visual report');
  });

  it('refuses a page that is not the one beside the report, sending nothing', async () => {
    storeReport(REPORT);

    const error = await rejectionOf(
      notifyHandler()(
        { report: LOCATION, visualReport: { bucket: LOCATION.bucket, key: 'reports/evil.html' } },
        lambdaContext(),
      ),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('the page beside the report');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });
});

describe('s3ConsoleObjectUrl', () => {
  it('builds the console link for the commercial regions, and none where the console lives elsewhere', () => {
    expect(s3ConsoleObjectUrl('b', 'reports/a b.html', 'ap-northeast-1')).toBe(
      'https://s3.console.aws.amazon.com/s3/object/b?region=ap-northeast-1&prefix=reports%2Fa%20b.html',
    );
    expect(s3ConsoleObjectUrl('b', 'k', 'cn-north-1')).toBeNull();
    expect(s3ConsoleObjectUrl('b', 'k', 'us-gov-west-1')).toBeNull();
    expect(s3ConsoleObjectUrl('b', 'k', undefined)).toBeNull();
    expect(s3ConsoleObjectUrl('b', 'k', 'x&evil=1')).toBeNull();
  });
});
