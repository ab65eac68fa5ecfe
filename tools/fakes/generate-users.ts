import type { FakeUser } from './fake-iam-server';

const DAY = 86_400_000;

/**
 * A deterministic population covering every case the verdicts distinguish, several hundred strong:
 * console users used recently or long ago, never-used passwords on old and new users, deleted login
 * profiles with old PasswordLastUsed, key-only users with fresh, stale, never-used and inactive keys,
 * mixed users, users with nothing. Ages straddle the threshold, including exactly at it.
 */
export function generateUsers(count: number, now: Date, thresholdDays = 90, seed = 42): FakeUser[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
  const age = () => {
    const r = random();
    // Cluster some ages right around the threshold to exercise the boundary.
    if (r < 0.1) return thresholdDays + ([-1, 0, 0, 1][Math.floor(random() * 4)] ?? 0);
    return Math.floor(random() * 900);
  };

  return Array.from({ length: count }, (_, i) => {
    const kind = i % 9;
    const createdAt = daysAgo(400 + Math.floor(random() * 1500));
    const name = `user-${String(i).padStart(4, '0')}${kind === 8 ? '.ops+test@example' : ''}`;
    const key = (n: number, status: 'Active' | 'Inactive' = 'Active', used = true) => ({
      id: `AKIA${String(i).padStart(6, '0')}${n}EXAMPLE`,
      status,
      createdAt: daysAgo(age() + 200),
      ...(used ? { lastUsedAt: daysAgo(age()) } : {}),
    });
    switch (kind) {
      case 0: // console user, password used
        return {
          name,
          createdAt,
          passwordLastUsedAt: daysAgo(age()),
          loginProfile: { createdAt: daysAgo(950) },
        };
      case 1: // console password never used, set at some age
        return { name, createdAt, loginProfile: { createdAt: daysAgo(age()) } };
      case 2: // login profile deleted long ago: PasswordLastUsed remains, no password
        return { name, createdAt, passwordLastUsedAt: daysAgo(300 + age()) };
      case 3: // key-only, used
        return { name, createdAt, accessKeys: [key(1)] };
      case 4: // key-only, never used
        return { name, createdAt, accessKeys: [key(1, 'Active', false)] };
      case 5: // two keys, one possibly stale, one inactive sometimes
        return { name, createdAt, accessKeys: [key(1), key(2, random() < 0.5 ? 'Inactive' : 'Active')] };
      case 6: // password reset after last use: reference is the newer login profile
        return {
          name,
          createdAt,
          passwordLastUsedAt: daysAgo(age() + 100),
          loginProfile: { createdAt: daysAgo(age()) },
          accessKeys: random() < 0.5 ? [key(1)] : [],
        };
      case 7: // nothing at all
        return { name, createdAt };
      default: // everything
        return {
          name,
          createdAt,
          passwordLastUsedAt: daysAgo(age()),
          loginProfile: { createdAt: daysAgo(1000) },
          accessKeys: [key(1), key(2, 'Active', false)],
        };
    }
  });
}
