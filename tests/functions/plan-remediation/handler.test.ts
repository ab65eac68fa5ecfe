import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { parseOrganizationRemediationPlan } from '../../../src/contracts/organization-remediation';
import type { RollUpResult } from '../../../src/contracts/organization-report';
import { accountFailure } from '../../../src/domain/organization/account-outcome';
import { createPlanRemediationHandler } from '../../../src/functions/plan-remediation/handler';
import { InvalidInputError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { defaultSettingsEnvironment } from '../../support/function-environment';
import { contextFor } from '../../support/lambda-context';
import { MemoryS3 } from '../../support/memory-s3';
import { BUCKET, account, accountReport } from '../../support/organization-builders';
import { RUN, storeOrganizationRun } from '../../support/organization-run-fixture';
import { RUN_AT, RUN_ID } from '../../support/remediation-builders';
import { activeUser, errorUser, password, staleUser } from '../../support/report-builder';
import { rejectionOf } from '../../support/rejection';

const THRESHOLD_PARAMETER = '/stale-iam/test/threshold-days';
const MODE_PARAMETER = '/stale-iam/test/remediation-mode';
const ENV = {
  ...defaultSettingsEnvironment('planRemediation'),
  REPORT_BUCKET: BUCKET,
  THRESHOLD_DAYS_PARAMETER: THRESHOLD_PARAMETER,
  REMEDIATION_MODE_PARAMETER: MODE_PARAMETER,
};
const PLAN_KEY = `audit/organization/2026/11/28/plan-2026-11-28T000000Z-${RUN_ID}.json`;
const ITEMS_KEY = `runs/${RUN.name}/remediation-accounts.json`;

const PAYMENTS = account('111111111111', 'payments');
const LEGACY = account('222222222222', 'legacy');
const HALF = account('333333333333', 'half-read');
const LOCKED = account('444444444444', 'locked');

/** `stale` stale console users among ten, in `accountId`. */
function consoleUsers(accountId: string, stale: number) {
  return accountReport(accountId, [
    ...Array.from({ length: stale }, (_, i) => staleUser(`gone-${i}`, password(200))),
    ...Array.from({ length: 10 - stale }, (_, i) => activeUser(`here-${i}`, password(2))),
  ]);
}

const s3 = mockClient(S3Client);
const ssm = mockClient(SSMClient);
let bucket: MemoryS3;

function live(threshold = '90', mode = 'enforce'): void {
  ssm.on(GetParametersCommand).resolves({
    Parameters: [
      { Name: THRESHOLD_PARAMETER, Type: 'String', Value: threshold },
      { Name: MODE_PARAMETER, Type: 'String', Value: mode },
    ],
    InvalidParameters: [],
  });
}

function plan(env: NodeJS.ProcessEnv = ENV) {
  return createPlanRemediationHandler({
    s3: new S3Client({}),
    ssm: new SSMClient({}),
    clock: () => RUN_AT,
    env,
  });
}

/** Payments (2 stale of 10), legacy (1 stale of 10), one account read partially, one not at all. */
function organization(): Promise<RollUpResult> {
  return storeOrganizationRun(bucket, [
    { account: PAYMENTS, report: consoleUsers(PAYMENTS.accountId, 2) },
    { account: LEGACY, report: consoleUsers(LEGACY.accountId, 1) },
    {
      account: HALF,
      report: accountReport(HALF.accountId, [staleUser('gone', password(200)), errorUser('x', 'Throttling')]),
    },
    { account: LOCKED, failure: accountFailure('role-unavailable', 'AccessDenied') },
  ]);
}

const storedPlan = () =>
  parseOrganizationRemediationPlan(JSON.parse(bucket.latest(PLAN_KEY) ?? ''), PLAN_KEY);
const items = () =>
  JSON.parse(bucket.latest(ITEMS_KEY) ?? 'null') as Array<{ account: { accountId: string } }>;

beforeAll(() => logger.setLogLevel('SILENT'));

beforeEach(() => {
  s3.reset();
  ssm.reset();
  bucket = new MemoryS3(s3, BUCKET).install();
  live();
});

describe('planRemediation: the organisation plan', () => {
  it('plans every completely scanned account from exactly the version its scan wrote, and writes the plan that can never be overwritten', async () => {
    const event = await organization();

    const result = await plan()(event, contextFor({ awsRequestId: RUN_ID }));

    const reads = s3
      .commandCalls(GetObjectCommand)
      .map((c) => [c.args[0].input.Key, c.args[0].input.VersionId]);
    expect(reads.filter(([key]) => key?.startsWith('reports/1') || key?.startsWith('reports/2'))).toEqual([
      ['reports/111111111111/2026/11/28/scan-2026-11-28T000000Z.json', expect.stringMatching(/^v\d+$/)],
      ['reports/222222222222/2026/11/28/scan-2026-11-28T000000Z.json', expect.stringMatching(/^v\d+$/)],
    ]);
    const planPut = s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === PLAN_KEY);
    expect(planPut?.args[0].input.IfNoneMatch).toBe('*');
    expect(storedPlan().accounts.map((a) => [a.accountId, a.decision, a.actions])).toEqual([
      ['111111111111', 'act', 2],
      ['222222222222', 'act', 1],
      ['333333333333', 'not-scanned', 0],
      ['444444444444', 'not-scanned', 0],
    ]);
    expect(result.remediation).toEqual({
      plan: { bucket: BUCKET, key: PLAN_KEY, versionId: expect.stringMatching(/^v\d+$/) },
      mode: 'enforce',
      planned: 3,
      refused: false,
      accounts: { bucket: BUCKET, key: ITEMS_KEY, count: 2 },
    });
    expect(result.report).toEqual(event.report);
  });

  it("hands the second map exactly the accounts that may act, each with its report's version", async () => {
    const event = await organization();

    await plan()(event, contextFor({ awsRequestId: RUN_ID }));

    const payments = storedPlan().accounts[0];
    expect(items()).toEqual([
      {
        account: PAYMENTS,
        report: {
          bucket: BUCKET,
          key: payments?.report?.key,
          csvKey: payments?.report?.key.replace(/\.json$/, '.csv'),
          versionId: payments?.report?.versionId,
        },
      },
      expect.objectContaining({ account: LEGACY }),
    ]);
  });

  it('gives nothing to an account whose scan was partial or failed, and never reads its report', async () => {
    await plan()(await organization(), contextFor({ awsRequestId: RUN_ID }));

    const keys = s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key ?? '');
    expect(
      keys.filter((k) => k.startsWith('reports/333333333333') || k.startsWith('reports/444444444444')),
    ).toEqual([]);
    expect(items().map((i) => i.account.accountId)).not.toContain(HALF.accountId);
  });

  it('refuses the run whole, for every account, when the plans add up to more than maxActionsPerOrganization', async () => {
    const result = await plan({ ...ENV, MAX_ACTIONS_PER_ORGANIZATION: '2' })(
      await organization(),
      contextFor({ awsRequestId: RUN_ID }),
    );

    expect(result.remediation).toMatchObject({ planned: 3, refused: true, accounts: { count: 0 } });
    expect(items()).toEqual([]);
    expect(storedPlan().refused).toEqual({ code: 'cap-organization', planned: 3, maxActions: 2 });
    expect(
      storedPlan()
        .accounts.slice(0, 2)
        .map((a) => a.decision),
    ).toEqual(['blocked', 'blocked']);
  });

  it('refuses an account whose stored report belongs to another account, and still plans the others', async () => {
    const event = await organization();
    // Someone wrote another account's report as a new version of legacy's key, and the roll-up's
    // entry was pointed at it: the plan trusts the report's content, not the key.
    const legacyEntry = storedSummary().accounts[1];
    const forged = consoleUsers('999999999999', 5);
    const version = bucket.store(legacyEntry?.report?.key ?? '', JSON.stringify(forged));
    rewriteSummary((summary) => Object.assign(summary.accounts[1]?.report ?? {}, { versionId: version }));

    await plan()(event, contextFor({ awsRequestId: RUN_ID }));

    expect(storedPlan().accounts[1]).toMatchObject({
      decision: 'refused',
      reason: expect.stringContaining(
        'it is a report of account 999999999999, but the organisation report lists it as the report of account 222222222222',
      ),
    });
    expect(items().map((i) => i.account.accountId)).toEqual([PAYMENTS.accountId]);
  });

  it('refuses every account when the threshold in SSM changed since the run began', async () => {
    live('60');
    await plan()(await organization(), contextFor({ awsRequestId: RUN_ID }));

    expect(
      storedPlan()
        .accounts.slice(0, 2)
        .map((a) => a.reason),
    ).toEqual([
      expect.stringContaining('threshold of 90 days, but the threshold in SSM is 60 days now'),
      expect.stringContaining('threshold of 90 days, but the threshold in SSM is 60 days now'),
    ]);
    expect(items()).toEqual([]);
  });

  it('writes nothing and fails for a roll-up result from another bucket, or for another run', async () => {
    const event = await organization();
    const foreign = { ...event, report: { ...event.report, bucket: 'someone-elses' } };
    expect(await rejectionOf(plan()(foreign, contextFor({ awsRequestId: RUN_ID })))).toBeInstanceOf(
      InvalidInputError,
    );

    const later = { ...event, run: { ...event.run, evaluatedAt: '2026-11-29T00:00:00.000Z' } };
    const error = await rejectionOf(plan()(later, contextFor({ awsRequestId: RUN_ID })));
    expect(error.message).toContain('not at run');
    expect(bucket.keys('audit/')).toEqual([]);
    expect(bucket.keys('runs/')).toEqual([]);
  });
});

function storedSummary() {
  const key = 'reports/organization/2026/11/28/organization-2026-11-28T000000Z.summary.json';
  return JSON.parse(bucket.latest(key) ?? '') as {
    accounts: Array<{ report: { key: string; versionId: string } | null }>;
  };
}

function rewriteSummary(change: (summary: ReturnType<typeof storedSummary>) => void): void {
  const summary = storedSummary();
  change(summary);
  bucket.store(
    'reports/organization/2026/11/28/organization-2026-11-28T000000Z.summary.json',
    JSON.stringify(summary),
  );
}
