import type { AsffFinding } from '../../../src/domain/findings/asff';
import { planFindings, staleCredentialFindings } from '../../../src/domain/findings/plan';
import { InvalidInputError } from '../../../src/lib/errors';
import {
  ACCOUNT_ID,
  LOCATION,
  accessKey,
  activeUser,
  buildReport,
  noCredentialsUser,
  password,
  staleUser,
} from '../../support/report-builder';
import { thrownBy } from '../../support/rejection';

const identity = { accountId: ACCOUNT_ID, region: 'eu-west-1', partition: 'aws' };
const FIRST_RUN = new Date('2026-11-28T00:10:00.000Z');
const NEXT_RUN = new Date('2026-11-29T00:10:00.000Z');
const PRODUCT_ARN = `arn:aws:securityhub:eu-west-1:${ACCOUNT_ID}:product/${ACCOUNT_ID}/default`;

const KEY_1 = 'AKIAAAAAAAAAAAAAAAA1';
const KEY_2 = 'AKIAAAAAAAAAAAAAAAA2';

/** bob: a stale password and two stale keys; carol: active, one stale key; dan: fresh. */
const REPORT = buildReport([
  staleUser(
    'bob',
    password(120),
    accessKey(1, 200, { accessKeyId: KEY_1 }),
    accessKey(2, 150, { accessKeyId: KEY_2, never: true }),
  ),
  activeUser('carol', password(3), accessKey(1, 400, { accessKeyId: 'AKIACCCCCCCCCCCCCCC1' })),
  activeUser('dan', password(5)),
  noCredentialsUser('erin'),
]);

function firstRun(): AsffFinding[] {
  return staleCredentialFindings(REPORT, { identity, now: FIRST_RUN, location: LOCATION });
}

const ids = (findings: readonly { Id: string }[]) => findings.map((f) => f.Id).sort();

describe('a finding per stale credential', () => {
  it('gives each stale credential its own finding, never one per user: two stale keys are two findings', () => {
    expect(ids(firstRun())).toEqual([
      `stale-iam/${ACCOUNT_ID}/bob/access-key/${KEY_1}`,
      `stale-iam/${ACCOUNT_ID}/bob/access-key/${KEY_2}`,
      `stale-iam/${ACCOUNT_ID}/bob/password`,
      `stale-iam/${ACCOUNT_ID}/carol/access-key/AKIACCCCCCCCCCCCCCC1`,
    ]);
  });

  it('writes every member BatchImportFindings requires, in the account imported into', () => {
    for (const finding of firstRun()) {
      expect(finding).toEqual(
        expect.objectContaining({
          SchemaVersion: '2018-10-08',
          ProductArn: PRODUCT_ARN,
          GeneratorId: 'stale-iam/unused-iam-credential',
          AwsAccountId: ACCOUNT_ID,
          Types: ['Software and Configuration Checks/AWS Security Best Practices'],
          CreatedAt: FIRST_RUN.toISOString(),
          UpdatedAt: FIRST_RUN.toISOString(),
          Severity: { Label: 'MEDIUM', Original: 'MEDIUM' },
          Compliance: { Status: 'FAILED' },
          RecordState: 'ACTIVE',
        }),
      );
      expect(finding.Title.length).toBeGreaterThan(0);
      expect(finding.Description.length).toBeGreaterThan(0);
      expect(finding.Resources.length).toBeGreaterThan(0);
    }
  });

  it('describes a stale key as an AwsIamAccessKey of its user, with the figures in ProductFields', () => {
    const key = firstRun().find((f) => f.Id.endsWith(KEY_2));

    expect(key?.Title).toBe(`IAM user bob has access key ${KEY_2} unused for more than 90 days`);
    expect(key?.Resources).toEqual([
      {
        Type: 'AwsIamAccessKey',
        Id: KEY_2,
        Partition: 'aws',
        Region: 'eu-west-1',
        Details: {
          AwsIamAccessKey: {
            AccessKeyId: KEY_2,
            PrincipalName: 'bob',
            PrincipalType: 'IAMUser',
            Status: 'Active',
            CreatedAt: '2026-07-01T00:00:00.000Z',
            AccountId: ACCOUNT_ID,
          },
        },
      },
      {
        Type: 'AwsIamUser',
        Id: `arn:aws:iam::${ACCOUNT_ID}:user/bob`,
        Partition: 'aws',
        Region: 'eu-west-1',
        Details: { AwsIamUser: { UserName: 'bob', Path: '/', CreateDate: '2021-01-19T02:00:14.000Z' } },
      },
    ]);
    expect(key?.ProductFields).toEqual({
      'stale-iam/Credential': 'access-key',
      'stale-iam/UserName': 'bob',
      'stale-iam/AccessKeyId': KEY_2,
      'stale-iam/AccessKeySlot': '2',
      'stale-iam/IdleDays': '150',
      'stale-iam/LastActivity': '2026-07-01T00:00:00.000Z',
      'stale-iam/LastActivityBasis': 'created',
      'stale-iam/LastUsedAt': 'never',
      'stale-iam/ThresholdDays': '90',
      'stale-iam/EvaluatedAt': '2026-11-28T00:00:00.000Z',
      'stale-iam/Source': 'credential-report',
      'stale-iam/Report': `s3://${LOCATION.bucket}/${LOCATION.key}`,
    });
    expect(key?.Description).toContain(
      'has not been used for 150 days (never used since it was created 2026-07-01)',
    );
    expect(key?.Remediation.Recommendation.Text).toContain(
      `aws iam update-access-key --user-name bob --access-key-id ${KEY_2} --status Inactive`,
    );
  });

  it('describes a stale password as its AwsIamUser, with the path from the ARN and a way to remove it', () => {
    const report = buildReport([
      { ...staleUser('ops', password(120)), arn: `arn:aws:iam::${ACCOUNT_ID}:user/team/a/ops` },
    ]);

    const [finding] = staleCredentialFindings(report, { identity, now: FIRST_RUN });

    expect(finding?.Resources).toEqual([
      expect.objectContaining({
        Type: 'AwsIamUser',
        Id: `arn:aws:iam::${ACCOUNT_ID}:user/team/a/ops`,
        Details: {
          AwsIamUser: { UserName: 'ops', Path: '/team/a/', CreateDate: '2021-01-19T02:00:14.000Z' },
        },
      }),
    ]);
    expect(finding?.Remediation.Recommendation.Text).toContain(
      'aws iam delete-login-profile --user-name ops',
    );
    expect(finding?.ProductFields['stale-iam/Report']).toBeUndefined();
  });

  it('names a key the report gives no id by its creation, and says how to find it', () => {
    const report = buildReport([
      staleUser('bot', accessKey(1, 200, { createdAt: '2025-05-12T10:00:00.000Z' })),
    ]);

    const [finding] = staleCredentialFindings(report, { identity, now: FIRST_RUN });

    expect(finding?.Id).toBe(`stale-iam/${ACCOUNT_ID}/bot/access-key/created-2025-05-12T10:00:00Z`);
    expect(finding?.Title).toBe('IAM user bot has access key in slot 1 unused for more than 90 days');
    expect(finding?.Resources[0]?.Details?.AwsIamAccessKey?.AccessKeyId).toBeUndefined();
    expect(finding?.Remediation.Recommendation.Text).toContain(
      'Find the key created 2025-05-12 with aws iam list-access-keys --user-name bot',
    );
  });

  it('gives exempt users and users that could not be evaluated no finding', () => {
    const report = buildReport([{ ...staleUser('breakglass', password(400)), status: 'exempt' }]);

    expect(staleCredentialFindings(report, { identity, now: FIRST_RUN })).toEqual([]);
  });

  it('refuses a report of another account than the one imported into', () => {
    const error = thrownBy(() =>
      planFindings(buildReport([], { accountId: '999999999999' }), [], { identity, now: FIRST_RUN }),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain('describes account 999999999999');
  });
});

describe('the next run: the same findings updated, the others resolved', () => {
  it('updates the finding of a credential still stale, keeping the CreatedAt of when it was first found', () => {
    const plan = planFindings(REPORT, firstRun(), { identity, now: NEXT_RUN });

    expect(plan.created).toEqual([]);
    expect(ids(plan.updated)).toEqual(ids(firstRun()));
    for (const finding of plan.updated) {
      expect(finding.CreatedAt).toBe(FIRST_RUN.toISOString());
      expect(finding.UpdatedAt).toBe(NEXT_RUN.toISOString());
    }
    expect(plan.resolved).toEqual([]);
  });

  it('resolves in the same run, with the reason, a key used again, a password removed, a key deactivated and a deleted user', () => {
    const next = buildReport([
      // bob used key 1 yesterday, deleted his password, and deactivated key 2.
      activeUser(
        'bob',
        accessKey(1, 1, { accessKeyId: KEY_1 }),
        accessKey(2, 151, { accessKeyId: KEY_2, never: true, active: false }),
      ),
      // carol was deleted.
      activeUser('dan', password(5)),
      noCredentialsUser('erin'),
    ]);

    const plan = planFindings(next, firstRun(), { identity, now: NEXT_RUN });

    expect(plan.created).toEqual([]);
    expect(plan.updated).toEqual([]);
    expect(Object.fromEntries(plan.resolved.map((r) => [r.finding.Id, r.reason]))).toEqual({
      [`stale-iam/${ACCOUNT_ID}/bob/access-key/${KEY_1}`]: 'no-longer-stale',
      [`stale-iam/${ACCOUNT_ID}/bob/access-key/${KEY_2}`]: 'no-longer-stale',
      [`stale-iam/${ACCOUNT_ID}/bob/password`]: 'credential-removed',
      [`stale-iam/${ACCOUNT_ID}/carol/access-key/AKIACCCCCCCCCCCCCCC1`]: 'user-removed',
    });
    for (const { finding, reason } of plan.resolved) {
      expect(finding.Compliance).toEqual({ Status: 'PASSED' });
      expect(finding.RecordState).toBe('ARCHIVED');
      expect(finding.Severity).toEqual({ Label: 'INFORMATIONAL', Original: 'INFORMATIONAL' });
      expect(finding.FindingProviderFields.Severity).toEqual(finding.Severity);
      expect(finding.CreatedAt).toBe(FIRST_RUN.toISOString());
      expect(finding.UpdatedAt).toBe(NEXT_RUN.toISOString());
      expect(finding.ProductFields['stale-iam/Resolution']).toBe(reason);
      expect(finding.ProductFields['stale-iam/ResolvedAt']).toBe(NEXT_RUN.toISOString());
    }
  });

  it('resolves the findings of a user who became exempt', () => {
    const next = buildReport(
      REPORT.users.map((u) => (u.userName === 'carol' ? { ...u, status: 'exempt' as const } : u)),
    );

    const plan = planFindings(next, firstRun(), { identity, now: NEXT_RUN });

    expect(plan.resolved.map((r) => [r.finding.Id, r.reason])).toEqual([
      [`stale-iam/${ACCOUNT_ID}/carol/access-key/AKIACCCCCCCCCCCCCCC1`, 'exempt'],
    ]);
  });

  it('opens a new finding for a credential found stale for the first time', () => {
    const next = buildReport([
      ...REPORT.users.filter((u) => u.userName !== 'dan'),
      staleUser('dan', password(95)),
    ]);

    const plan = planFindings(next, firstRun(), { identity, now: NEXT_RUN });

    expect(plan.created.map((f) => [f.Id, f.CreatedAt])).toEqual([
      [`stale-iam/${ACCOUNT_ID}/dan/password`, NEXT_RUN.toISOString()],
    ]);
  });

  it('leaves alone the findings of a kind of credential the report did not judge (a password-only scan)', () => {
    const passwordsOnly = buildReport(
      [
        staleUser('bob', password(121)),
        activeUser('carol', password(4)),
        activeUser('dan', password(6)),
        noCredentialsUser('erin'),
      ],
      { credentialScope: 'password' },
    );

    const plan = planFindings(passwordsOnly, firstRun(), { identity, now: NEXT_RUN });

    expect(ids(plan.updated)).toEqual([`stale-iam/${ACCOUNT_ID}/bob/password`]);
    expect(plan.resolved).toEqual([]);
  });

  it('neither updates nor resolves findings of other products, generators, accounts, or archived ones', () => {
    const [ours] = firstRun();
    if (!ours) throw new Error('no finding');
    const gone = buildReport([]);
    const others: AsffFinding[] = [
      {
        ...ours,
        Id: `${ours.Id}-other-product`,
        ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty',
      },
      { ...ours, Id: `${ours.Id}-other-generator`, GeneratorId: 'prowler-iam' },
      { ...ours, Id: 'stale-iam/999999999999/bob/password', AwsAccountId: '999999999999' },
      { ...ours, RecordState: 'ARCHIVED' },
      { ...ours, Id: 'custom-finding-7421' },
    ];

    const plan = planFindings(gone, others, { identity, now: NEXT_RUN });

    expect(plan).toEqual({ created: [], updated: [], resolved: [] });
  });
});
