import {
  DeleteLoginProfileCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { mockClient } from 'aws-sdk-client-mock';
import {
  parseMemberRemediationResult,
  type RemediationItem,
  type RemediationRun,
} from '../../../src/contracts/organization-remediation';
import type { RollUpResult } from '../../../src/contracts/organization-report';
import { createDisableMemberHandler } from '../../../src/functions/disable-member/handler';
import { createPlanRemediationHandler } from '../../../src/functions/plan-remediation/handler';
import { InvalidInputError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { defaultSettingsEnvironment } from '../../support/function-environment';
import { sdkUser } from '../../support/iam-sdk-builders';
import { credentialReportCsv, serveCredentialReport } from '../../support/credential-report-fixture';
import { contextFor } from '../../support/lambda-context';
import { MemoryS3 } from '../../support/memory-s3';
import { BUCKET, account, accountReport } from '../../support/organization-builders';
import { RUN, storeOrganizationRun } from '../../support/organization-run-fixture';
import { RUN_AT, keyWithId } from '../../support/remediation-builders';
import {
  accessKey,
  activeUser,
  daysBeforeEvaluation,
  password,
  staleUser,
} from '../../support/report-builder';
import { awsError, rejectionOf } from '../../support/rejection';

/**
 * disableMember, one member's disable step, on a plan made by the real plan step: it acts only as
 * the plan allows, through the member remediation role's session, in the account that session is
 * in, with the single-account disable step's guards, and keeps its trail under audit/<account>/.
 */

const THRESHOLD_PARAMETER = '/stale-iam/test/threshold-days';
const MODE_PARAMETER = '/stale-iam/test/remediation-mode';
const KEYS_PARAMETER = '/stale-iam/test/deactivate-access-keys';
const PARAMETERS = {
  REPORT_BUCKET: BUCKET,
  THRESHOLD_DAYS_PARAMETER: THRESHOLD_PARAMETER,
  REMEDIATION_MODE_PARAMETER: MODE_PARAMETER,
};
const MEMBER_ENV = { ...defaultSettingsEnvironment('disableMember'), ...PARAMETERS };
const PLAN_ENV = { ...defaultSettingsEnvironment('planRemediation'), ...PARAMETERS };
const WITH_KEYS = { ACCESS_KEY_DEACTIVATION: 'true', DEACTIVATE_ACCESS_KEYS_PARAMETER: KEYS_PARAMETER };

const PAYMENTS = account('111111111111', 'payments');
const QUIET = account('222222222222', 'quiet');
const SESSION = { accessKeyId: 'ASIAPAYMENTSSESSION1', secretAccessKey: 's', sessionToken: 't' };
const FLEET_KEY = 'AKIAPAYMENTSFLEET001';

const s3 = mockClient(S3Client);
const ssm = mockClient(SSMClient);
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
let bucket: MemoryS3;
let iamSessions: AwsCredentialIdentity[];

function live(mode: string, keys = 'false'): void {
  ssm.on(GetParametersCommand).resolves({
    Parameters: [
      { Name: THRESHOLD_PARAMETER, Type: 'String', Value: '90' },
      { Name: MODE_PARAMETER, Type: 'String', Value: mode },
      { Name: KEYS_PARAMETER, Type: 'String', Value: keys },
    ],
    InvalidParameters: [],
  });
}

/** Payments: ren and aiko stale among ten console users, fleet's stale key among five key holders; quiet: nothing stale. */
async function planned(planEnv: NodeJS.ProcessEnv = PLAN_ENV): Promise<{
  run: RollUpResult & { remediation: RemediationRun };
  items: RemediationItem[];
}> {
  const payments = accountReport(PAYMENTS.accountId, [
    staleUser('ren', password(200)),
    staleUser('aiko', password(150)),
    staleUser('fleet', keyWithId(1, FLEET_KEY, 300)),
    ...Array.from({ length: 8 }, (_, i) => activeUser(`here-${i}`, password(2))),
    ...Array.from({ length: 4 }, (_, i) => activeUser(`ci-${i}`, accessKey(1, 1))),
  ]);
  const quiet = accountReport(QUIET.accountId, [activeUser('ok', password(1))]);
  const event = await storeOrganizationRun(bucket, [
    { account: PAYMENTS, report: payments },
    { account: QUIET, report: quiet },
  ]);
  const plan = createPlanRemediationHandler({
    s3: new S3Client({}),
    ssm: new SSMClient({}),
    clock: () => RUN_AT,
    env: planEnv,
  });
  const run = (await plan(
    event,
    contextFor({ awsRequestId: 'plan-request-1' }),
  )) as unknown as RollUpResult & {
    remediation: RemediationRun;
  };
  const items = JSON.parse(bucket.latest(run.remediation.accounts.key) ?? '[]') as RemediationItem[];
  return { run, items };
}

/** The map's ItemSelector: the item, the run and the plan's location. */
function inputFor(item: RemediationItem | undefined, run: RollUpResult & { remediation: RemediationRun }) {
  if (!item) throw new Error('no item');
  return { ...item, run: run.run, plan: run.remediation.plan };
}

function member(env: NodeJS.ProcessEnv = MEMBER_ENV) {
  return createDisableMemberHandler({
    sts: new STSClient({}),
    stsFor: (credentials) => new STSClient({ credentials }),
    iamFor: (credentials) => {
      iamSessions.push(credentials);
      return new IAMClient({ credentials });
    },
    s3: new S3Client({}),
    ssm: new SSMClient({}),
    clock: () => RUN_AT,
    env,
  });
}

const CONTEXT = {
  awsRequestId: '0c9d7e21-5e0b-4c1a-8f7e-4c4d9a412b1f',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:999988887777:function:stale-iam-test-disableMember',
  getRemainingTimeInMillis: () => 900_000,
};

/** What IAM in payments answers: ren and aiko as the scan saw them, fleet's key unused for 300 days. */
function paymentsIam(): void {
  iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Users: 15 } });
  for (const [name, idle] of [
    ['ren', 200],
    ['aiko', 150],
  ] as const) {
    iam.on(GetUserCommand, { UserName: name }).resolves({
      User: sdkUser(name, {
        Arn: `arn:aws:iam::${PAYMENTS.accountId}:user/${name}`,
        PasswordLastUsed: new Date(daysBeforeEvaluation(idle)),
      }),
    });
    iam.on(GetLoginProfileCommand, { UserName: name }).resolves({
      LoginProfile: {
        UserName: name,
        CreateDate: new Date('2024-01-01T00:00:00Z'),
        PasswordResetRequired: false,
      },
    });
  }
  iam.on(GetUserCommand, { UserName: 'fleet' }).resolves({
    User: sdkUser('fleet', { Arn: `arn:aws:iam::${PAYMENTS.accountId}:user/fleet` }),
  });
  iam.on(ListAccessKeysCommand, { UserName: 'fleet' }).resolves({
    AccessKeyMetadata: [
      {
        UserName: 'fleet',
        AccessKeyId: FLEET_KEY,
        Status: 'Active',
        CreateDate: new Date(daysBeforeEvaluation(700)),
      },
    ],
  });
  iam.on(GetAccessKeyLastUsedCommand).resolves({
    AccessKeyLastUsed: {
      LastUsedDate: new Date(daysBeforeEvaluation(300)),
      ServiceName: 's3',
      Region: 'us-east-1',
    },
  });
  iam.on(DeleteLoginProfileCommand).resolves({});
  iam.on(UpdateAccessKeyCommand).resolves({});
  paymentsCredentialReport('2024-01-01T00:00:00+00:00');
}

/** The member's credential report: ren's and aiko's passwords last set at `renSetAt` and at their profiles' creation. */
function paymentsCredentialReport(renSetAt: string): void {
  serveCredentialReport(
    iam,
    credentialReportCsv(PAYMENTS.accountId, [
      { user: 'ren', password: { setAt: renSetAt, lastUsedAt: null } },
      { user: 'aiko', password: { setAt: '2024-01-01T00:00:00+00:00', lastUsedAt: null } },
    ]),
  );
}

function sessionIn(accountId: string): void {
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: SESSION.accessKeyId,
      SecretAccessKey: 's',
      SessionToken: 't',
      Expiration: new Date(),
    },
    AssumedRoleUser: {
      Arn: `arn:aws:sts::${PAYMENTS.accountId}:assumed-role/stale-iam-member-remediation/x`,
      AssumedRoleId: 'AROA:x',
    },
  });
  sts.on(GetCallerIdentityCommand).resolves({
    Account: accountId,
    Arn: `arn:aws:sts::${accountId}:assumed-role/stale-iam-member-remediation/x`,
    UserId: 'AROA:x',
  });
}

function expectNoIamWrite(): void {
  expect(iam).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 0);
  expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 0);
}

beforeAll(() => logger.setLogLevel('SILENT'));

beforeEach(() => {
  for (const client of [s3, ssm, sts, iam]) client.reset();
  bucket = new MemoryS3(s3, BUCKET).install();
  iamSessions = [];
  live('enforce');
  sessionIn(PAYMENTS.accountId);
  paymentsIam();
});

describe('disableMember: one member account of the plan', () => {
  it("removes exactly the planned stale passwords, through the member remediation role's session, and keeps its trail under audit/<member>/", async () => {
    const { run, items } = await planned();

    const result = parseMemberRemediationResult(
      await member()(inputFor(items[0], run), contextFor(CONTEXT)),
      'r',
    );

    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::${PAYMENTS.accountId}:role/stale-iam-member-remediation`,
      RoleSessionName: `stale-iam-${RUN.name}`,
    });
    expect(iamSessions.map((c) => c.accessKeyId)).toEqual([SESSION.accessKeyId]);
    expect(
      iam
        .commandCalls(DeleteLoginProfileCommand)
        .map((c) => c.args[0].input.UserName)
        .sort(),
    ).toEqual(['aiko', 'ren']);
    expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 0);
    expect(result).toMatchObject({
      status: 'done',
      account: PAYMENTS,
      remediation: { counts: { deleted: 2 } },
    });
    const trail = bucket.keys('audit/');
    expect(
      trail
        .filter((k) => !k.startsWith('audit/organization/'))
        .every((k) => k.startsWith(`audit/${PAYMENTS.accountId}/`)),
    ).toBe(true);
    expect(trail.filter((k) => k.endsWith('-intent.json'))).toHaveLength(2);
  });

  it('keeps a password an administrator reset yesterday in the member account, as its credential report says', async () => {
    paymentsCredentialReport('2026-11-27T00:00:00+00:00');
    const { run, items } = await planned();

    const result = parseMemberRemediationResult(
      await member()(inputFor(items[0], run), contextFor(CONTEXT)),
      'r',
    );

    expect(iam.commandCalls(DeleteLoginProfileCommand).map((c) => c.args[0].input.UserName)).toEqual([
      'aiko',
    ]);
    expect(result).toMatchObject({
      status: 'done',
      remediation: {
        counts: { deleted: 1, 'skipped-used-since': 1 },
        items: expect.arrayContaining([
          expect.objectContaining({
            userName: 'ren',
            outcome: 'skipped-used-since',
            reason: { code: 'password-reset', at: '2026-11-27T00:00:00.000Z' },
          }),
        ]),
      },
    });
  });

  it.each([
    ['planned in dry-run', 'before'],
    ['switched back to dry-run after an enforce plan', 'after'],
  ] as const)('%s: re-checks and reports what it would do, and changes nothing', async (_case, switched) => {
    if (switched === 'before') live('dry-run');
    const { run, items } = await planned();
    if (switched === 'after') live('dry-run');

    const result = parseMemberRemediationResult(
      await member()(inputFor(items[0], run), contextFor(CONTEXT)),
      'r',
    );

    expectNoIamWrite();
    expect(result).toMatchObject({
      status: 'done',
      remediation: { mode: 'dry-run', counts: { 'would-delete': 2 } },
    });
  });

  it('returns role-unavailable, and touches nothing, when the member remediation role cannot be assumed', async () => {
    const { run, items } = await planned();
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole'));

    const result = parseMemberRemediationResult(
      await member()(inputFor(items[0], run), contextFor(CONTEXT)),
      'r',
    );

    expect(result).toEqual({
      status: 'failed',
      account: PAYMENTS,
      error: {
        kind: 'role-unavailable',
        message: expect.stringContaining(
          `assuming arn:aws:iam::${PAYMENTS.accountId}:role/stale-iam-member-remediation failed: AccessDenied`,
        ),
      },
    });
    expect(iamSessions).toEqual([]);
    expect(bucket.keys('audit/').filter((k) => !k.startsWith('audit/organization/'))).toEqual([]);
  });

  it('refuses to act when the session is in another account than the one it was handed, whatever the report says', async () => {
    const { run, items } = await planned();
    sessionIn('999999999999');

    const error = await rejectionOf(member()(inputFor(items[0], run), contextFor(CONTEXT)));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('the member remediation session is in account 999999999999');
    expect(iamSessions).toEqual([]);
    expectNoIamWrite();
  });

  it('refuses, before opening any session, an account the plan does not let act, another version of its report, or another run', async () => {
    const { run, items } = await planned();
    const item = items[0];
    if (!item) throw new Error('no item');
    const cases = [
      {
        ...inputFor(item, run),
        account: QUIET,
        report: {
          ...item.report,
          key: item.report.key.replace(PAYMENTS.accountId, QUIET.accountId),
          csvKey: item.report.csvKey.replace(PAYMENTS.accountId, QUIET.accountId),
        },
      },
      { ...inputFor(item, run), report: { ...item.report, versionId: 'v999' } },
      { ...inputFor(item, run), run: { ...run.run, name: 'another-run' } },
    ];
    const reasons = [];
    for (const input of cases)
      reasons.push((await rejectionOf(member()(input, contextFor(CONTEXT)))).message);

    expect(reasons).toEqual([
      expect.stringContaining('the plan decided nothing-to-do for account 222222222222'),
      expect.stringContaining(
        'not from reports/111111111111/2026/11/28/scan-2026-11-28T000000Z.json (version v999)',
      ),
      expect.stringContaining(
        "the plan is run 5e0b4c1a-8f7e-4c4d-9a41-2b1f0c9d7e21's, not run another-run's",
      ),
    ]);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 0);
    expectNoIamWrite();
  });

  it('refuses to act, before opening any session, with settings the plan never approved: enforce after a dry-run plan, keys after a plan without them', async () => {
    live('dry-run');
    const dryRunPlan = await planned({ ...PLAN_ENV, ...WITH_KEYS });
    live('enforce');
    const upgraded = await rejectionOf(
      member({ ...MEMBER_ENV, ...WITH_KEYS })(
        inputFor(dryRunPlan.items[0], dryRunPlan.run),
        contextFor(CONTEXT),
      ),
    );
    // Planned with the key switch off (2 passwords); by the time the member runs it is on (+1 key).
    bucket = new MemoryS3(s3, BUCKET).install();
    const withoutKeys = await planned({ ...PLAN_ENV, ...WITH_KEYS });
    live('enforce', 'true');
    const keysOn = await rejectionOf(
      member({ ...MEMBER_ENV, ...WITH_KEYS })(
        inputFor(withoutKeys.items[0], withoutKeys.run),
        contextFor(CONTEXT),
      ),
    );

    expect(upgraded.message).toBe(
      'disableMember refuses to act in 111111111111: the mode is now enforce, the plan was made in dry-run; no IAM change was made',
    );
    expect(keysOn.message).toBe(
      'disableMember refuses to act in 111111111111: access-key deactivation is now on, the plan was made with it off; no IAM change was made',
    );
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 0);
    expectNoIamWrite();
  });

  it('reads the plan only at the version the plan step wrote: a plan written over it later is not what it checks', async () => {
    const { run, items } = await planned();
    const forged = JSON.parse(bucket.latest(run.remediation.plan.key) ?? '{}') as {
      accounts: Array<{ actions: number }>;
    };
    Object.assign(forged.accounts[0] ?? {}, { actions: 1 });
    bucket.store(run.remediation.plan.key, JSON.stringify(forged));

    const result = parseMemberRemediationResult(
      await member()(inputFor(items[0], run), contextFor(CONTEXT)),
      'r',
    );

    expect(result).toMatchObject({ status: 'done', remediation: { counts: { deleted: 2 } } });
  });
});
