import { PublishCommand } from '@aws-sdk/client-sns';
import type { NotifyEvent } from '../../../src/contracts/notify-event';
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
import {
  ACCOUNT_ID,
  LOCATION,
  activeUser,
  buildReport,
  noCredentialsUser,
  password,
  staleUser,
} from '../../support/report-builder';
import { rejectionOf } from '../../support/rejection';

/** What notify says about the Security Hub step (deploy parameter securityHub). */

const PRODUCT_ARN = `arn:aws:securityhub:us-east-1:${ACCOUNT_ID}:product/${ACCOUNT_ID}/default`;
const ONE_STALE = buildReport([staleUser('ren', password(180)), activeUser('sota', password(3))]);
const CLEAN = buildReport([activeUser('sota', password(3)), noCredentialsUser('kaito')]);

const IMPORTED = {
  status: 'imported',
  productArn: PRODUCT_ARN,
  created: 3,
  updated: 9,
  resolved: 2,
  failed: 0,
  failures: [],
  unreadable: 0,
} as const;

/** What the state machine's Catch writes when the findings function fails. */
const FAILED_STEP = {
  Error: 'AwsReadError',
  Cause: JSON.stringify({
    errorType: 'AwsReadError',
    errorMessage:
      'reading the active findings failed: InvalidAccessException: Account 123456789012 is not subscribed to AWS Security Hub',
    trace: ['AwsReadError: reading the active findings failed', '    at SecurityHubFindingsStore.listActive'],
  }),
};

setUpNotifyMocks();

async function notify(event: NotifyEvent, env: NodeJS.ProcessEnv = NOTIFY_ENV): Promise<string> {
  await notifyHandler(env)(event, lambdaContext());
  return published().Message ?? '';
}

describe('notify: the Security Hub step in the email', () => {
  it('counts the new, updated, resolved and refused findings, and names the product', async () => {
    storeReport(ONE_STALE);

    const body = await notify({ report: LOCATION, findings: IMPORTED });

    expect(body).toContain(
      'Security Hub findings (one per stale credential):\n' +
        '3 new, 9 updated, 2 resolved (archived as passed), 0 refused\n' +
        `Product: ${PRODUCT_ARN}\n`,
    );
  });

  it('lists the findings Security Hub refused, and sends the email even on a day nothing is stale', async () => {
    storeReport(CLEAN);

    const body = await notify({
      report: LOCATION,
      findings: {
        ...IMPORTED,
        failed: 1,
        failures: [
          { id: `stale-iam/${ACCOUNT_ID}/ren/password`, code: 'InternalException', message: 'try later' },
        ],
      },
    });

    expect(body).toContain(`refused: stale-iam/${ACCOUNT_ID}/ren/password: InternalException (try later)`);
  });

  it('says the import failed, with the reason, and still sends the report email when nothing is stale', async () => {
    storeReport(CLEAN);

    const body = await notify({ report: LOCATION, findingsError: FAILED_STEP });

    expect(body).toContain(
      'IMPORT FAILED (AwsReadError): reading the active findings failed: InvalidAccessException: Account ' +
        "123456789012 is not subscribed to AWS Security Hub. Security Hub still shows the previous run's findings",
    );
    expect(body).not.toContain('trace');
  });

  it('says nothing was imported after a partial scan', async () => {
    storeReport(ONE_STALE);

    const body = await notify({
      report: LOCATION,
      findings: { status: 'skipped', reason: 'partial-scan', productArn: PRODUCT_ARN },
    });

    expect(body).toContain('nothing imported or resolved: the scan is partial');
  });

  it('writes it in Japanese too', async () => {
    storeReport(ONE_STALE);

    const body = await notify(
      { report: LOCATION, findings: IMPORTED },
      { ...NOTIFY_ENV, NOTIFY_LANGUAGE: 'ja' },
    );

    expect(body).toContain('Security Hub の検出結果 (長期未使用の認証情報ごとに 1 件):');
    expect(body).toContain('新規 3 件、更新 9 件、解決 2 件 (PASSED としてアーカイブ)、拒否 0 件');
  });

  it('has no Security Hub section when the step is not deployed, and no email on a clean day', async () => {
    storeReport(ONE_STALE);
    expect(await notify({ report: LOCATION })).not.toContain('Security Hub');

    sns.resetHistory();
    storeReport(CLEAN);
    await notifyHandler()({ report: LOCATION, findings: IMPORTED }, lambdaContext());
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('refuses a findings outcome that is not what the findings step returns, publishing nothing', async () => {
    storeReport(ONE_STALE);
    const forged = { ...IMPORTED, created: -1 } as unknown as typeof IMPORTED;

    const error = await rejectionOf(notifyHandler()({ report: LOCATION, findings: forged }, lambdaContext()));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('notify: findings is not what the findings step returns: created');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });
});
