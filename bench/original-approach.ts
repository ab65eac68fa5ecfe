/**
 * RE-IMPLEMENTATION FOR COMPARISON ONLY. Not part of stale-iam; nothing in src/ uses it.
 *
 * The Lambda stale-iam grew from (Python, boto3; ../shared/seed/original-lambda-article-ja.txt),
 * rewritten in TypeScript as literally as possible so `npm run bench` can show what the product
 * changed. Kept on purpose, because that is what the original does:
 * - ONE `list_users()` call: no MaxItems, no Marker, so only IAM's default first page (100 users);
 * - `get_login_profile` for each listed user, one after another;
 * - NoSuchEntity from GetLoginProfile skips the user (no console password);
 * - stale when PasswordLastUsed, or CreateDate when it is absent, is earlier than now - N days;
 * - any other error (Throttling after the client's retries, AccessDenied) ends the whole run.
 * The client is the SDK v3 IAMClient with its default settings (standard retries, 3 attempts),
 * like boto3's client with no retry configuration. The only change: `now` is passed in instead of
 * read from the clock, so the benchmark compares it with the ground truth at the same instant.
 */
import {
  GetLoginProfileCommand,
  IAMClient,
  ListUsersCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';

const DAY_MS = 86_400_000;

/** What the original did with one listed user: printed it (stale), passed over it, or skipped it. */
export type OriginalOutcome = 'stale' | 'not-stale' | 'skipped-no-login-profile';

export interface OriginalSettings {
  readonly thresholdDays: number;
  readonly now: Date;
}

export async function runOriginalApproach(
  client: IAMClient,
  { thresholdDays, now }: OriginalSettings,
): Promise<Map<string, OriginalOutcome>> {
  const targetDay = new Date(now.getTime() - thresholdDays * DAY_MS);
  const { Users: iamUserList = [] } = await client.send(new ListUsersCommand({}));
  const outcomes = new Map<string, OriginalOutcome>();
  for (const user of iamUserList) {
    // Python would stop with a KeyError on a user without these fields; so does this.
    if (!user.UserName || !user.CreateDate)
      throw new Error('ListUsers returned a user without UserName or CreateDate');
    try {
      await client.send(new GetLoginProfileCommand({ UserName: user.UserName }));
    } catch (error) {
      if (error instanceof NoSuchEntityException) {
        outcomes.set(user.UserName, 'skipped-no-login-profile');
        continue;
      }
      throw error;
    }
    const reference = user.PasswordLastUsed ?? user.CreateDate;
    outcomes.set(user.UserName, reference < targetDay ? 'stale' : 'not-stale');
  }
  return outcomes;
}
