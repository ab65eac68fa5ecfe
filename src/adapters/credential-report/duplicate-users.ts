import type { AccessKeySnapshot, IamUserSnapshot } from '../../domain/verdict/user-snapshot';
import { InvalidInputError } from '../../lib/errors';

/**
 * The users of a report, one per name. AWS writes each user once, but a report that was edited,
 * concatenated or exported twice may hold a user on two rows, and two verdicts for one user would
 * contradict each other. IAM user names are unique regardless of letter case, so rows whose names
 * differ only in case are the same user.
 *
 * The rows are merged conservatively: a credential present on any row is kept (a door that may be
 * open is reported), and its last use, the date its password was set and its creation are the most
 * recent any row gives, so a duplicate never makes a user look more stale than their latest
 * activity. Rows that name the same user with different ARNs are refused: which one is current
 * cannot be told.
 */
export class UsersByName {
  private readonly byName = new Map<string, { user: IamUserSnapshot; lines: number[] }>();

  add(user: IamUserSnapshot, line: number): void {
    const key = user.userName.toLowerCase();
    const seen = this.byName.get(key);
    if (!seen) {
      this.byName.set(key, { user, lines: [line] });
      return;
    }
    if (seen.user.arn.toLowerCase() !== user.arn.toLowerCase()) {
      throw new InvalidInputError(
        `malformed credential report: user ${user.userName} is on line ${seen.lines[0] ?? '?'} as ${seen.user.arn} ` +
          `and on line ${line} as ${user.arn}; which one is current cannot be told`,
      );
    }
    seen.user = mergeRows(seen.user, user);
    seen.lines.push(line);
  }

  /** The users, in the order of their first row. */
  users(): IamUserSnapshot[] {
    return Array.from(this.byName.values(), (entry) => entry.user);
  }

  /** One line naming the users that were on more than one row, or null when none was. */
  warning(): string | null {
    const repeated = Array.from(this.byName.values()).filter((entry) => entry.lines.length > 1);
    if (repeated.length === 0) return null;
    const shown = repeated
      .slice(0, MAX_NAMED)
      .map((entry) => `${entry.user.userName} on lines ${entry.lines.join(', ')}`);
    const more = repeated.length > MAX_NAMED ? `, and ${repeated.length - MAX_NAMED} more` : '';
    return (
      `${repeated.length} ${repeated.length === 1 ? 'user is' : 'users are'} on more than one row of the credential report ` +
      `(${shown.join('; ')}${more}); each is judged once, on the most recent activity of each credential`
    );
  }
}

const MAX_NAMED = 5;

function mergeRows(a: IamUserSnapshot, b: IamUserSnapshot): IamUserSnapshot {
  const loginProfile =
    a.loginProfile && b.loginProfile
      ? { createdAt: latest(a.loginProfile.createdAt, b.loginProfile.createdAt) }
      : (a.loginProfile ?? b.loginProfile);
  return {
    userName: a.userName,
    arn: a.arn,
    createdAt: latest(a.createdAt, b.createdAt),
    passwordLastUsedAt: latestKnown(a.passwordLastUsedAt, b.passwordLastUsedAt),
    loginProfile,
    accessKeys: ([1, 2] as const).flatMap((slot) => {
      const keys = [a, b].flatMap((user) => user.accessKeys.filter((key) => key.slot === slot));
      return keys.length === 0 ? [] : [keys.reduce(mergeKeys)];
    }),
  };
}

function mergeKeys(a: AccessKeySnapshot, b: AccessKeySnapshot): AccessKeySnapshot {
  return {
    accessKeyId: a.accessKeyId ?? b.accessKeyId,
    slot: a.slot,
    status: a.status === 'Active' || b.status === 'Active' ? 'Active' : 'Inactive',
    createdAt: latest(a.createdAt, b.createdAt),
    lastUsedAt: latestKnown(a.lastUsedAt, b.lastUsedAt),
  };
}

function latest(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

function latestKnown(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return latest(a, b);
}
