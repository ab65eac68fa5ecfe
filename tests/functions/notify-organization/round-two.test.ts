import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { RemediationItem, RemediationRun } from '../../../src/contracts/organization-remediation';
import type { RollUpResult } from '../../../src/contracts/organization-report';
import { accountFailure } from '../../../src/domain/organization/account-outcome';
import { createNotifyOrganizationHandler } from '../../../src/functions/notify-organization/handler';
import { createPlanRemediationHandler } from '../../../src/functions/plan-remediation/handler';
import { logger } from '../../../src/lib/logger';
import { defaultSettingsEnvironment } from '../../support/function-environment';
import { contextFor } from '../../support/lambda-context';
import { MemoryS3 } from '../../support/memory-s3';
import { BUCKET, account, accountReport } from '../../support/organization-builders';
import {
  storeMapResults,
  storeOrganizationRun,
  type SeededAccount,
} from '../../support/organization-run-fixture';
import { RUN_AT, remediationSummary, summaryItem } from '../../support/remediation-builders';
import { activeUser, errorUser, password, staleUser } from '../../support/report-builder';

/**
 * The organisation email of round two: what remediation did in each account (from the run's plan
 * and the remediation map's results), what each account's findings import came to, and the link to
 * the organisation's visual report.
 */

const THRESHOLD_PARAMETER = '/stale-iam/test/threshold-days';
const MODE_PARAMETER = '/stale-iam/test/remediation-mode';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:stale-iam-test';
const ENV = {
  ...defaultSettingsEnvironment('notifyOrganization'),
  TOPIC_ARN,
  REPORT_BUCKET: BUCKET,
  AWS_REGION: 'us-east-1',
};
const PLAN_ENV = {
  ...defaultSettingsEnvironment('planRemediation'),
  REPORT_BUCKET: BUCKET,
  THRESHOLD_DAYS_PARAMETER: THRESHOLD_PARAMETER,
  REMEDIATION_MODE_PARAMETER: MODE_PARAMETER,
};

const PAYMENTS = account('111111111111', 'payments');
const NEWCO = account('222222222222', 'newco');
const QUIET = account('333333333333', 'quiet');
const HALF = account('444444444444', 'half-read');
const LOCKED = account('555555555555', 'locked');

const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const ssm = mockClient(SSMClient);
let bucket: MemoryS3;

function consoleUsers(accountId: string, stale: number) {
  return accountReport(accountId, [
    ...Array.from({ length: stale }, (_, i) => staleUser(`gone-${i}`, password(200))),
    ...Array.from({ length: 10 - stale }, (_, i) => activeUser(`here-${i}`, password(2))),
  ]);
}

const IMPORTED = {
  status: 'imported' as const,
  productArn: `arn:aws:securityhub:us-east-1:${PAYMENTS.accountId}:product/${PAYMENTS.accountId}/default`,
  created: 2,
  updated: 0,
  resolved: 1,
  failed: 0,
  failures: [],
  unreadable: 0,
};

/** Payments and newco each plan 2 removals; quiet has nothing stale; one account half read, one not at all. */
async function plannedRun(planEnv: NodeJS.ProcessEnv = PLAN_ENV) {
  const accounts: SeededAccount[] = [
    { account: PAYMENTS, report: consoleUsers(PAYMENTS.accountId, 2), findings: IMPORTED },
    {
      account: NEWCO,
      report: consoleUsers(NEWCO.accountId, 2),
      findings: {
        status: 'failed',
        error: 'AwsReadError',
        message: 'InvalidAccessException: not subscribed',
      },
    },
    { account: QUIET, report: consoleUsers(QUIET.accountId, 0) },
    {
      account: HALF,
      report: accountReport(HALF.accountId, [staleUser('gone', password(200)), errorUser('x', 'Throttling')]),
      findings: {
        status: 'skipped',
        reason: 'partial-scan',
        productArn: IMPORTED.productArn.replace(/1{12}/g, HALF.accountId),
      },
    },
    { account: LOCKED, failure: accountFailure('role-unavailable', 'AccessDenied') },
  ];
  const event = await storeOrganizationRun(bucket, accounts);
  const plan = createPlanRemediationHandler({
    s3: new S3Client({}),
    ssm: new SSMClient({}),
    clock: () => RUN_AT,
    env: planEnv,
  });
  const run = (await plan(event, contextFor({ awsRequestId: 'plan-1' }))) as unknown as RollUpResult & {
    remediation: RemediationRun;
  };
  const items = JSON.parse(bucket.latest(run.remediation.accounts.key) ?? '[]') as RemediationItem[];
  return { run, items };
}

async function email(event: unknown): Promise<{ subject: string; body: string }> {
  await createNotifyOrganizationHandler({ s3: new S3Client({}), sns: new SNSClient({}), env: ENV })(
    event,
    {} as never,
  );
  const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
  return { subject: input?.Subject ?? '', body: input?.Message ?? '' };
}

beforeAll(() => logger.setLogLevel('SILENT'));

beforeEach(() => {
  for (const client of [s3, sns, ssm]) client.reset();
  bucket = new MemoryS3(s3, BUCKET).install();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  ssm.on(GetParametersCommand).resolves({
    Parameters: [
      { Name: THRESHOLD_PARAMETER, Type: 'String', Value: '90' },
      { Name: MODE_PARAMETER, Type: 'String', Value: 'enforce' },
    ],
    InvalidParameters: [],
  });
});

describe('the organisation email with remediation', () => {
  it("says, for every account of the plan, what its disable step did or why nothing was done, with the member remediation role's advice", async () => {
    const { run, items } = await plannedRun();
    const [payments, newco] = items;
    const results = storeMapResults(bucket, '0b1c2d3e', [
      {
        input: { ...payments, run: run.run, plan: run.remediation.plan },
        output: {
          status: 'done',
          account: PAYMENTS,
          remediation: remediationSummary({
            auditKey: `audit/${PAYMENTS.accountId}/2026/11/28/disable-2026-11-28T000512Z-r1/records.jsonl`,
            items: [summaryItem('gone-0', 'deleted'), summaryItem('gone-1', 'deleted')],
          }),
        },
      },
      {
        input: { ...newco, run: run.run, plan: run.remediation.plan },
        output: {
          status: 'failed',
          account: NEWCO,
          error: { kind: 'role-unavailable', message: 'MemberRoleError: assuming ... failed: AccessDenied' },
        },
      },
    ]);

    const { subject, body } = await email({ ...run, remediation: { ...run.remediation, results } });

    expect(subject).toContain('; 2 credentials disabled');
    expect(body).toContain('Remediation (enforce): stale credentials were disabled as listed below.');
    expect(body).toContain('Credentials by outcome: 2 deleted');
    expect(body).toContain(
      `Plan (what each account may do this run; each member's disable step checks it): s3://${BUCKET}/audit/organization/2026/11/28/plan-2026-11-28T000000Z-plan-1.json`,
    );
    const lines = body.split('\n');
    const byAccount = lines.slice(
      lines.findIndex((l) => l.startsWith('Remediation by account (5):')) + 1,
      lines.findIndex((l) => l.startsWith('Remediation by account (5):')) + 6,
    );
    expect(byAccount).toEqual([
      `222222222222 (newco): no action: member remediation role stale-iam-member-remediation missing in 222222222222, or it does not trust this stack's disable-member role: deploy the remediation StackSet there (member-role/stale-iam-member-remediation-role.yml) (MemberRoleError: assuming ... failed: AccessDenied)`,
      `111111111111 (payments): 2 deleted; audit trail s3://${BUCKET}/audit/111111111111/2026/11/28/disable-2026-11-28T000512Z-r1/records.jsonl`,
      '444444444444 (half-read): no action: its scan was partial this run',
      '555555555555 (locked): no action: its scan was not completed this run',
      '333333333333 (quiet): nothing to do',
    ]);
    expect(body).toMatch(/111111111111 +gone-0 +password +deleted/);
    expect(body).toContain('Next run:\ncredentials that have become stale by then are disabled');
  });

  it('says nothing was changed when the members ran in dry-run, switched back after an enforce plan', async () => {
    const { run, items } = await plannedRun();
    const [payments] = items;
    const results = storeMapResults(bucket, '0b1c2d3f', [
      {
        input: { ...payments, run: run.run, plan: run.remediation.plan },
        output: {
          status: 'done',
          account: PAYMENTS,
          remediation: remediationSummary({
            mode: 'dry-run',
            items: [summaryItem('gone-0', 'would-delete'), summaryItem('gone-1', 'would-delete')],
          }),
        },
      },
    ]);

    const { body } = await email({ ...run, remediation: { ...run.remediation, results } });

    expect(body).toContain(
      'Remediation (dry-run): nothing was changed; this is what an enforcing run would do.',
    );
    expect(body).not.toContain('Remediation (enforce)');
    expect(body).toContain('Credentials by outcome: 2 would delete');
  });

  it("says no account acted, and why, when the plans add up to more than the organisation's cap", async () => {
    const { run } = await plannedRun({ ...PLAN_ENV, MAX_ACTIONS_PER_ORGANIZATION: '3' });

    const { subject, body } = await email(run);

    expect(subject).toContain('; remediation BLOCKED by cap');
    expect(body).toContain(
      'NO ACTION TAKEN in any account: 4 actions planned across the organization, more than the cap of 3 per run (maxActionsPerOrganization).',
    );
    expect(body).toContain("111111111111 (payments): over the organization's cap");
    expect(body).not.toContain('deleted;');
  });

  it('still sends the email, saying remediation did not run and why, when the plan step failed', async () => {
    const { run } = await plannedRun();
    const withoutPlan: Record<string, unknown> = { ...run };
    delete withoutPlan.remediation;

    const { subject, body } = await email({
      ...withoutPlan,
      remediationError: {
        Error: 'InvalidConfigError',
        Cause: JSON.stringify({
          errorType: 'InvalidConfigError',
          errorMessage: 'SSM parameter /x does not exist',
          trace: [],
        }),
      },
    });

    expect(subject).toContain('; remediation FAILED');
    expect(body).toContain(
      'REMEDIATION NOT RUN (InvalidConfigError): SSM parameter /x does not exist. No account acted; the next run plans again.',
    );
  });
});

describe('the organisation email with findings and the visual report', () => {
  it("says per account what importing its findings came to, and links to the organisation's page", async () => {
    const { run } = await plannedRun();
    const page = run.report.key.replace(/\.json$/, '.html');

    const { body } = await email({ ...run, visualReport: { bucket: BUCKET, key: page } });

    expect(body).toContain('Security Hub findings, imported in each account itself (3 accounts):');
    expect(body).toContain(
      '111111111111 (payments): 2 new, 0 updated, 1 resolved (archived as passed), 0 refused',
    );
    expect(body).toContain(
      '222222222222 (newco): IMPORT FAILED (AwsReadError): InvalidAccessException: not subscribed.',
    );
    expect(body).toContain('444444444444 (half-read): nothing imported or resolved: the scan is partial');
    expect(body).toContain(
      `Visual report (charts, history; sign in to the AWS console, then Open): https://s3.console.aws.amazon.com/s3/object/${BUCKET}?region=us-east-1&prefix=${encodeURIComponent(page)}`,
    );
  });

  it('says the visual report is missing when render failed, and refuses a page that is not beside the report', async () => {
    const { run } = await plannedRun();

    const { body } = await email({ ...run, renderError: { Error: 'Lambda.Unknown', Cause: 'x' } });
    expect(body).toContain("Visual report: not written this run (see the render function's logs)");

    const elsewhere = {
      ...run,
      visualReport: { bucket: BUCKET, key: 'reports/111111111111/2026/11/28/scan-2026-11-28T000000Z.html' },
    };
    await expect(
      createNotifyOrganizationHandler({ s3: new S3Client({}), sns: new SNSClient({}), env: ENV })(
        elsewhere,
        {} as never,
      ),
    ).rejects.toThrow('the page beside the report');
  });
});
