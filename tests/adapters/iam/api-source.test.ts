import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { IamApiSource } from '../../../src/adapters/iam/api-source';
import type { IamUserSnapshot, UserReading } from '../../../src/domain/verdict/user-snapshot';
import { AwsReadError } from '../../../src/lib/errors';
import { TEST_ACCOUNT, noSuchEntity, sdkUser } from '../../support/iam-sdk-builders';

const iam = mockClient(IAMClient);
const ACCOUNT = TEST_ACCOUNT;

function readUser(readings: readonly UserReading[], name: string): IamUserSnapshot {
  const reading = readings.find((r) => r.user.userName === name);
  if (reading?.kind !== 'read') throw new Error(`${name} was not read: ${JSON.stringify(reading)}`);
  return reading.user;
}

/** Users without console passwords or keys, unless a test says otherwise. */
function defaultPerUserAnswers() {
  iam.on(GetLoginProfileCommand).rejects(noSuchEntity('Login Profile for User cannot be found.'));
  iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [], IsTruncated: false });
}

beforeEach(() => {
  iam.reset();
});

describe('IamApiSource', () => {
  it('follows ListUsers markers across three pages and reads every user', async () => {
    iam
      .on(ListUsersCommand, { Marker: undefined })
      .resolves({ Users: [sdkUser('a1'), sdkUser('a2')], IsTruncated: true, Marker: 'page-2' })
      .on(ListUsersCommand, { Marker: 'page-2' })
      .resolves({ Users: [sdkUser('b1')], IsTruncated: true, Marker: 'page-3' })
      .on(ListUsersCommand, { Marker: 'page-3' })
      .resolves({ Users: [sdkUser('c1'), sdkUser('c2')], IsTruncated: false });
    defaultPerUserAnswers();

    const inventory = await new IamApiSource({ client: new IAMClient({}) }).read({ scope: 'all' });

    expect(inventory.users.map((r) => r.user.userName)).toEqual(['a1', 'a2', 'b1', 'c1', 'c2']);
    expect(iam).toHaveReceivedCommandTimes(ListUsersCommand, 3);
    expect(iam).toHaveReceivedNthCommandWith(1, ListUsersCommand, { MaxItems: 1000 });
    expect(inventory.accountId).toBe(ACCOUNT);
  });

  it('refuses a truncated page without a marker instead of silently scanning half the account', async () => {
    iam.on(ListUsersCommand).resolves({ Users: [sdkUser('a1')], IsTruncated: true });

    await expect(new IamApiSource({ client: new IAMClient({}) }).read({ scope: 'all' })).rejects.toThrow(
      'IsTruncated without a new Marker',
    );
  });

  it('fails the whole read when ListUsers is denied', async () => {
    iam
      .on(ListUsersCommand)
      .rejects(
        Object.assign(new Error('not authorized to perform: iam:ListUsers'), { name: 'AccessDenied' }),
      );

    const read = new IamApiSource({ client: new IAMClient({}) }).read({ scope: 'all' });

    await expect(read).rejects.toBeInstanceOf(AwsReadError);
    await expect(read).rejects.toThrow(
      'listing IAM users failed: AccessDenied: not authorized to perform: iam:ListUsers',
    );
  });

  it('treats NoSuchEntity from GetLoginProfile as no console password, even with an old PasswordLastUsed', async () => {
    iam.on(ListUsersCommand).resolves({
      Users: [sdkUser('former-console', { PasswordLastUsed: new Date('2023-05-01T10:00:00Z') })],
      IsTruncated: false,
    });
    defaultPerUserAnswers();

    const { users } = await new IamApiSource({ client: new IAMClient({}) }).read({ scope: 'all' });

    const snapshot = readUser(users, 'former-console');
    expect(snapshot.loginProfile).toBeNull();
    expect(snapshot.passwordLastUsedAt).toEqual(new Date('2023-05-01T10:00:00Z'));
  });

  it('reads the login profile creation date and reset flag', async () => {
    iam.on(ListUsersCommand).resolves({ Users: [sdkUser('console')], IsTruncated: false });
    defaultPerUserAnswers();
    iam.on(GetLoginProfileCommand, { UserName: 'console' }).resolves({
      LoginProfile: {
        UserName: 'console',
        CreateDate: new Date('2026-11-01T08:00:00.750Z'),
        PasswordResetRequired: true,
      },
    });

    const { users } = await new IamApiSource({ client: new IAMClient({}) }).read({ scope: 'all' });

    expect(readUser(users, 'console').loginProfile).toEqual({
      createdAt: new Date('2026-11-01T08:00:00Z'), // whole seconds, like the credential report
      passwordResetRequired: true,
    });
  });

  it('reads a never-used key (no LastUsedDate) as never used, and numbers keys by creation', async () => {
    iam.on(ListUsersCommand).resolves({ Users: [sdkUser('svc')], IsTruncated: false });
    defaultPerUserAnswers();
    iam.on(ListAccessKeysCommand, { UserName: 'svc' }).resolves({
      AccessKeyMetadata: [
        {
          UserName: 'svc',
          AccessKeyId: 'AKIANEWER',
          Status: 'Active',
          CreateDate: new Date('2026-10-01T00:00:00Z'),
        },
        {
          UserName: 'svc',
          AccessKeyId: 'AKIAOLDER',
          Status: 'Inactive',
          CreateDate: new Date('2025-01-01T00:00:00Z'),
        },
      ],
      IsTruncated: false,
    });
    iam
      .on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIANEWER' })
      .resolves({ UserName: 'svc', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } })
      .on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAOLDER' })
      .resolves({
        UserName: 'svc',
        AccessKeyLastUsed: {
          LastUsedDate: new Date('2025-02-01T00:00:00Z'),
          ServiceName: 's3',
          Region: 'us-east-1',
        },
      });

    const { users } = await new IamApiSource({ client: new IAMClient({}) }).read({ scope: 'all' });

    expect(readUser(users, 'svc').accessKeys).toEqual([
      {
        accessKeyId: 'AKIAOLDER',
        slot: 1,
        status: 'Inactive',
        createdAt: new Date('2025-01-01T00:00:00Z'),
        lastUsedAt: new Date('2025-02-01T00:00:00Z'),
      },
      {
        accessKeyId: 'AKIANEWER',
        slot: 2,
        status: 'Active',
        createdAt: new Date('2026-10-01T00:00:00Z'),
        lastUsedAt: null,
      },
    ]);
  });

  it('marks only the user whose call was denied as unreadable and reads the others', async () => {
    iam
      .on(ListUsersCommand)
      .resolves({ Users: [sdkUser('ok'), sdkUser('locked'), sdkUser('ok2')], IsTruncated: false });
    defaultPerUserAnswers();
    iam.on(GetLoginProfileCommand, { UserName: 'locked' }).rejects(
      Object.assign(new Error('User is not authorized to perform: iam:GetLoginProfile'), {
        name: 'AccessDenied',
      }),
    );

    const { users } = await new IamApiSource({ client: new IAMClient({}) }).read({ scope: 'all' });

    expect(users.map((r) => [r.user.userName, r.kind])).toEqual([
      ['ok', 'read'],
      ['locked', 'unreadable'],
      ['ok2', 'read'],
    ]);
    const locked = users[1];
    expect(locked?.kind === 'unreadable' && locked.user.reason).toBe(
      'AccessDenied: User is not authorized to perform: iam:GetLoginProfile',
    );
  });

  it('skips key calls for a password-only scan and login profile calls for a key-only scan', async () => {
    iam.on(ListUsersCommand).resolves({ Users: [sdkUser('u1')], IsTruncated: false });
    defaultPerUserAnswers();

    await new IamApiSource({ client: new IAMClient({}) }).read({ scope: 'password' });
    expect(iam).toHaveReceivedCommandTimes(ListAccessKeysCommand, 0);
    expect(iam).toHaveReceivedCommandTimes(GetLoginProfileCommand, 1);

    iam.resetHistory();
    await new IamApiSource({ client: new IAMClient({}) }).read({ scope: 'access-key' });
    expect(iam).toHaveReceivedCommandTimes(GetLoginProfileCommand, 0);
    expect(iam).toHaveReceivedCommandTimes(ListAccessKeysCommand, 1);
  });

  it('never has more per-user reads in flight than its concurrency limit', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    iam.on(ListUsersCommand).resolves({ Users: names.map((n) => sdkUser(n)), IsTruncated: false });
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [], IsTruncated: false });
    let inFlight = 0;
    let peak = 0;
    iam.on(GetLoginProfileCommand).callsFake(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      throw noSuchEntity('no profile');
    });

    const { users } = await new IamApiSource({ client: new IAMClient({}), concurrency: 5 }).read({
      scope: 'password',
    });

    expect(users).toHaveLength(40);
    expect(peak).toBe(5);
  });

  it('reports progress up to the number of users', async () => {
    iam
      .on(ListUsersCommand)
      .resolves({ Users: [sdkUser('a'), sdkUser('b'), sdkUser('c')], IsTruncated: false });
    defaultPerUserAnswers();
    const seen: string[] = [];

    await new IamApiSource({ client: new IAMClient({}) }).read({
      scope: 'all',
      onProgress: ({ done, total }) => seen.push(`${done}/${total}`),
    });

    expect(seen).toEqual(['0/3', '1/3', '2/3', '3/3']);
  });
});
