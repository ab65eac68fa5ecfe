import type { UserReading } from '../../src/domain/verdict/user-snapshot';

/** A user created in 2020 whose only credential is a console password set at `passwordSetAt` and never used. */
export function passwordOnlyReading(accountId: string, userName: string, passwordSetAt: Date): UserReading {
  return {
    kind: 'read',
    user: {
      userName,
      arn: `arn:aws:iam::${accountId}:user/${userName}`,
      createdAt: new Date('2020-01-01T00:00:00Z'),
      passwordLastUsedAt: null,
      loginProfile: { createdAt: passwordSetAt },
      accessKeys: [],
    },
  };
}
