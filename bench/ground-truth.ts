import { evaluateUsers, type EvaluationSettings, type UserStatus } from '../src/domain/verdict/evaluate';
import type { AccessKeySnapshot, UserReading } from '../src/domain/verdict/user-snapshot';
import type { FakeUser } from '../tools/fakes/fake-iam-server';

/**
 * The verdicts the generated users truly deserve: their plain data evaluated directly by
 * `evaluateUsers`, with no endpoint, SDK or CSV in between. Every scan is compared with this.
 */
export function groundTruth(
  users: readonly FakeUser[],
  settings: EvaluationSettings,
): Map<string, UserStatus> {
  const verdicts = evaluateUsers(users.map(asReading), settings);
  return new Map(verdicts.map((v) => [v.userName, v.status]));
}

function asReading(user: FakeUser): UserReading {
  // Slots 1 and 2 by creation, as both sources number them.
  const keys = [...(user.accessKeys ?? [])].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return {
    kind: 'read',
    user: {
      userName: user.name,
      arn: `arn:aws:iam::123456789012:user${user.path ?? '/'}${user.name}`,
      createdAt: user.createdAt,
      passwordLastUsedAt: user.passwordLastUsedAt ?? null,
      loginProfile: user.loginProfile ? { createdAt: user.loginProfile.createdAt } : null,
      accessKeys: keys.map((key, index): AccessKeySnapshot => ({
        accessKeyId: key.id,
        slot: index === 0 ? 1 : 2,
        status: key.status,
        createdAt: key.createdAt,
        lastUsedAt: key.lastUsedAt ?? null,
      })),
    },
  };
}
