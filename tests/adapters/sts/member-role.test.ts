import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import {
  MAX_CHAINED_SESSION_SECONDS,
  MemberRoleAssumer,
  MemberRoleError,
  memberSessionName,
  partitionOf,
} from '../../../src/adapters/sts/member-role';
import { awsError, rejectionOf, thrownBy } from '../../support/rejection';

const sts = mockClient(STSClient);
const MEMBER = '111122223333';
const EXPIRATION = new Date('2026-11-28T01:00:00Z');

function answer(accountId = MEMBER) {
  return {
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLEEXAMPLE01',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: EXPIRATION,
    },
    AssumedRoleUser: {
      Arn: `arn:aws:sts::${accountId}:assumed-role/stale-iam-member/stale-iam-run-1`,
      AssumedRoleId: 'AROAEXAMPLE:stale-iam-run-1',
    },
  };
}

function assumer(overrides: Partial<ConstructorParameters<typeof MemberRoleAssumer>[0]> = {}) {
  return new MemberRoleAssumer({
    client: new STSClient({ region: 'us-east-1' }),
    roleName: 'stale-iam-member',
    partition: 'aws',
    sessionName: 'stale-iam-run-1',
    ...overrides,
  });
}

beforeEach(() => sts.reset());

describe('assuming the member role', () => {
  it('asks for the role by name in the account, for one hour (the role-chaining cap), naming the run', async () => {
    sts.on(AssumeRoleCommand).resolves(answer());

    const credentials = await assumer().assume(MEMBER);

    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::111122223333:role/stale-iam-member',
      RoleSessionName: 'stale-iam-run-1',
      DurationSeconds: 3600,
    });
    expect(MAX_CHAINED_SESSION_SECONDS).toBe(3600);
    expect(credentials).toEqual({
      accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: EXPIRATION,
    });
  });

  it('builds the role ARN in the partition it is given', async () => {
    sts.on(AssumeRoleCommand).resolves({
      ...answer(),
      AssumedRoleUser: { Arn: `arn:aws-cn:sts::${MEMBER}:assumed-role/r/s`, AssumedRoleId: 'x' },
    });

    await assumer({ partition: 'aws-cn', roleName: 'audit.reader' }).assume(MEMBER);

    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws-cn:iam::111122223333:role/audit.reader',
    });
  });

  it('turns a refusal (no such role, or a trust policy that does not name the scan role) into a MemberRoleError', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User: arn:aws:sts::123456789012:assumed-role/ScanMemberRole/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/stale-iam-member',
        ),
      );

    const error = await rejectionOf(assumer().assume(MEMBER));

    expect(error).toBeInstanceOf(MemberRoleError);
    expect(error.message).toBe(
      'assuming arn:aws:iam::111122223333:role/stale-iam-member failed: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/ScanMemberRole/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/stale-iam-member',
    );
  });

  it('refuses credentials for another account than the one asked for', async () => {
    sts.on(AssumeRoleCommand).resolves(answer('123456789012'));

    const error = await rejectionOf(assumer().assume(MEMBER));

    expect(error).toBeInstanceOf(MemberRoleError);
    expect(error.message).toContain('gave a session in 123456789012');
  });

  it('refuses an answer without credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({ AssumedRoleUser: answer().AssumedRoleUser });

    expect((await rejectionOf(assumer().assume(MEMBER))).message).toContain('returned no credentials');
  });

  it.each([899, 3601, 43_200])(
    'will not ask for a session of %i s: STS refuses it when chained',
    (durationSeconds) => {
      expect(thrownBy(() => assumer({ durationSeconds }))).toBeInstanceOf(RangeError);
    },
  );
});

describe('the session name', () => {
  it('names the run, in the characters STS accepts, within 64 characters', () => {
    expect(memberSessionName('5e0b4c1a-8f7e-4c4d-9a41-2b1f0c9d7e21')).toBe(
      'stale-iam-5e0b4c1a-8f7e-4c4d-9a41-2b1f0c9d7e21',
    );
    expect(memberSessionName("run (manual)!'x")).toBe('stale-iam-run--manual---x');
    const long = memberSessionName('x'.repeat(80));
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[\w+=,.@-]{2,64}$/);
  });

  it('reads the partition of an ARN', () => {
    expect(partitionOf('arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f')).toBe('aws-us-gov');
    expect(() => partitionOf('nope')).toThrow('not an ARN');
  });
});
