import { PublishCommand } from '@aws-sdk/client-sns';
import type { RemediationSummary } from '../../../src/domain/remediation/summary';
import type { NotifyEvent } from '../../../src/contracts/notify-event';
import { lambdaContext } from '../../support/lambda-context';
import {
  AUDIT_RECORDS_KEY,
  exemptUser,
  remediationSummary,
  summaryItem,
  capShare,
} from '../../support/remediation-builders';
import {
  LOCATION,
  accessKey,
  activeUser,
  buildReport,
  noCredentialsUser,
  password,
  staleUser,
} from '../../support/report-builder';
import {
  NOTIFY_ENV,
  notifyHandler,
  published,
  setUpNotifyMocks,
  sns,
  storeReport,
} from '../../support/notify-harness';

const AUDIT_KEY = AUDIT_RECORDS_KEY;

const TWO_STALE = buildReport([
  staleUser('ren', password(180)),
  staleUser('ayaka', password(200)),
  exemptUser('breakglass', 'tag stale-iam:exempt=true', password(400)),
  activeUser('sota', password(3)),
  activeUser('soon', password(86)),
]);
const CLEAN = buildReport([activeUser('sota', password(3)), noCredentialsUser('kaito')]);

function eventWith(remediation: RemediationSummary): NotifyEvent {
  return { report: LOCATION, remediation };
}

function sectionOf(body: string, heading: string): string[] {
  const lines = body.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no section "${heading}" in:\n${body}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const ENFORCED = remediationSummary({
  items: [
    summaryItem('ren', 'deleted'),
    summaryItem('ayaka', 'skipped-used-since', {
      code: 'used-since',
      basis: 'last-used',
      at: '2026-11-28T00:01:00.000Z',
    }),
    summaryItem('breakglass', 'exempt', { code: 'exempt-in-report' }),
  ],
});

setUpNotifyMocks();

describe('notify handler after the disable step', () => {
  it('puts what was done, what was skipped and why, who is next and what the next run does in the email', async () => {
    storeReport(TWO_STALE);
    const handler = notifyHandler();

    const result = await handler(eventWith(ENFORCED), lambdaContext());

    expect(result.published).toBe(true);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const body = published().Message ?? '';
    expect(
      sectionOf(body, 'Remediation (enforce): stale credentials were disabled as listed below.'),
    ).toEqual([
      'Credentials by outcome: 1 deleted, 1 used since the scan, 1 exempt',
      `Audit trail (with undo commands): s3://${LOCATION.bucket}/${AUDIT_KEY}`,
    ]);
    expect(sectionOf(body, 'Credentials:')).toEqual([
      'USER        CREDENTIAL  OUTCOME              REASON',
      'ren         password    deleted',
      'ayaka       password    used since the scan  used at 2026-11-28T00:01:00.000Z, after the scan',
      'breakglass  password    exempt               exempt in the scan report',
    ]);
    expect(sectionOf(body, 'Will lose access within 7 days unless used:')).toEqual([
      'soon will lose console access on 2026-12-02 unless they sign in',
    ]);
    expect(sectionOf(body, 'Next run:')).toEqual([
      'credentials that have become stale by then are disabled, within the caps, after a live re-check.',
    ]);
  });

  it('says in the subject how many credentials were disabled', async () => {
    storeReport(TWO_STALE);
    const handler = notifyHandler();

    const result = await handler(eventWith(ENFORCED), lambdaContext());

    expect(result.subject).toBe(
      '[stale-iam] 2 of 5 users unused for more than 90 days; 1 credential disabled (123456789012)',
    );
    expect(published().Subject).toBe(result.subject);
  });

  it('says in the subject and the body that the cap blocked the run', async () => {
    storeReport(TWO_STALE);
    const block = capShare(3, 5, 2);
    const handler = notifyHandler();

    await handler(
      eventWith(
        remediationSummary({
          blocked: block,
          items: [
            summaryItem('ren', 'skipped-cap', { code: 'blocked', block }),
            summaryItem('ayaka', 'skipped-cap', { code: 'blocked', block }),
          ],
        }),
      ),
      lambdaContext(),
    );

    const { Subject, Message } = published();
    expect(Subject).toBe(
      '[stale-iam] 2 of 5 users unused for more than 90 days; remediation BLOCKED by cap (123456789012)',
    );
    expect(Message).toContain(
      'NO ACTION TAKEN: 3 of the 5 users holding console passwords would lose them; at most 2 may in one run (maxPercent 20%).',
    );
    expect(Message).toContain('ren    password    held back by a cap  over the cap for console passwords');
  });

  it('uses WARNING_DAYS for the warning period', async () => {
    storeReport(buildReport([activeUser('later', password(70))]));
    const handler = notifyHandler({ ...NOTIFY_ENV, WARNING_DAYS: '30' });

    await handler(eventWith(remediationSummary()), lambdaContext());

    expect(sectionOf(published().Message ?? '', 'Will lose access within 30 days unless used:')).toEqual([
      'later will lose console access on 2026-12-18 unless they sign in',
    ]);
  });

  it('warns about access keys only when the disable step deactivates keys', async () => {
    storeReport(buildReport([activeUser('svc', accessKey(1, 86)), activeUser('soon', password(86))]));
    const handler = notifyHandler();

    await handler(eventWith(remediationSummary({ deactivateAccessKeys: false })), lambdaContext());
    const withoutKeys = published().Message ?? '';
    sns.resetHistory();
    await handler(eventWith(remediationSummary({ deactivateAccessKeys: true })), lambdaContext());
    const withKeys = published().Message ?? '';

    expect(withoutKeys).not.toContain('svc: access key 1');
    expect(withKeys).toContain('svc: access key 1 will be deactivated on 2026-12-02 unless used');
  });

  it('writes the remediation sections in Japanese when NOTIFY_LANGUAGE is ja, the subject staying ASCII', async () => {
    storeReport(TWO_STALE);
    const handler = notifyHandler({ ...NOTIFY_ENV, NOTIFY_LANGUAGE: 'ja' });

    await handler(eventWith(ENFORCED), lambdaContext());

    const { Subject, Message } = published();
    expect(Subject).toMatch(/^[\x20-\x7e]+$/);
    expect(Message).toContain('自動無効化 (enforce): 以下の長期未使用の認証情報を無効化しました。');
    expect(Message).toContain('soon: サインインしなければ 2026-12-02 にコンソールアクセスを失います');
  });
});

describe('notify handler after the disable step: nothing to say, no email', () => {
  it('publishes nothing when nothing is stale, nothing was acted on and nobody is about to lose access', async () => {
    storeReport(CLEAN);
    const handler = notifyHandler();

    const result = await handler(eventWith(remediationSummary()), lambdaContext());

    expect(result).toEqual({ published: false, subject: null, messageId: null });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('publishes nothing when the only users with stale credentials are exempt', async () => {
    storeReport(
      buildReport([exemptUser('breakglass', 'user name is exempt', password(400)), activeUser('sota')]),
    );
    const handler = notifyHandler();

    await handler(
      eventWith(
        remediationSummary({ items: [summaryItem('breakglass', 'exempt', { code: 'exempt-in-report' })] }),
      ),
      lambdaContext(),
    );

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('publishes when nothing is stale yet but somebody will lose access within the warning days', async () => {
    storeReport(buildReport([activeUser('soon', password(86)), activeUser('sota', password(3))]));
    const handler = notifyHandler();

    const result = await handler(eventWith(remediationSummary()), lambdaContext());

    expect(result.published).toBe(true);
    expect(published().Message).toContain('soon will lose console access on 2026-12-02 unless they sign in');
  });

  it('does not warn or email about upcoming losses without the disable step', async () => {
    storeReport(buildReport([activeUser('soon', password(86)), activeUser('sota', password(3))]));
    const handler = notifyHandler();

    const result = await handler({ report: LOCATION }, lambdaContext());

    expect(result.published).toBe(false);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });
});
