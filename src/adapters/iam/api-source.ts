import { ListUsersCommand, type IAMClient, type User } from '@aws-sdk/client-iam';
import type { AccessKeySnapshot, IamUserSnapshot, UserReading } from '../../domain/verdict/user-snapshot';
import {
  accountIdFromArn,
  type ReadOptions,
  type UserInventory,
  type UserSource,
} from '../../domain/scan/ports';
import { mapWithConcurrency } from '../../lib/concurrency';
import { AwsReadError, describeAwsError } from '../../lib/errors';
import { createIamClient } from './client';
import {
  followMarkers,
  isNoSuchEntity,
  listAccessKeys,
  readKeyLastUsed,
  readLoginProfileOfListedUser,
} from './reads';
import { toWholeSecond } from '../../lib/timestamps';
import { SETTINGS } from '../../settings/table';

/** Users read in parallel, by default and at most: the iamConcurrency setting's (more only earns Throttling). */
export const DEFAULT_IAM_CONCURRENCY = SETTINGS.iamConcurrency.parse(
  SETTINGS.iamConcurrency.default,
  'iamConcurrency',
);
export const MAX_IAM_CONCURRENCY = SETTINGS.iamConcurrency.range?.max ?? DEFAULT_IAM_CONCURRENCY;
/** Why a user was not read: the run stopped starting new work before the Lambda's timeout. */
export const NOT_REACHED_REASON = 'not reached: the scan stopped early to finish before its time limit';
/** Marks a user IAM no longer knows (deleted after ListUsers): left out of the verdicts. */
const DELETED = Symbol('deleted during the scan');
/** The most ListUsers allows per page; fewer round trips for big accounts. */
const LIST_USERS_PAGE_SIZE = 1000;

export interface IamApiSourceOptions {
  readonly client?: IAMClient;
  /** Users read in parallel. Each user costs 2 to 4 calls; IAM throttles around a few dozen per second. */
  readonly concurrency?: number;
}

/**
 * Reads every user through the IAM API: ListUsers (all pages), then per user GetLoginProfile,
 * ListAccessKeys and GetAccessKeyLastUsed. Exact and current, but 2 to 4 calls per user: the
 * credential report source is the fast path.
 */
export class IamApiSource implements UserSource {
  readonly kind = 'api' as const;
  private readonly client: IAMClient;
  private readonly concurrency: number;

  constructor({
    client = createIamClient(),
    concurrency = DEFAULT_IAM_CONCURRENCY,
  }: IamApiSourceOptions = {}) {
    this.client = client;
    this.concurrency = concurrency;
  }

  async read({ scope, onProgress, shouldStop, abortSignal }: ReadOptions): Promise<UserInventory> {
    const listed = await this.listAllUsers();
    let done = 0;
    onProgress?.({ done, total: listed.length });
    const readings = await mapWithConcurrency(listed, this.concurrency, async (user) => {
      const reading =
        shouldStop?.() || abortSignal?.aborted
          ? notReached(user)
          : await this.readUser(user, {
              password: scope !== 'access-key',
              accessKeys: scope !== 'password',
              signal: abortSignal,
            });
      onProgress?.({ done: ++done, total: listed.length });
      return reading;
    });
    const firstArn = listed.find((u) => u.Arn)?.Arn;
    return {
      users: readings.filter((r): r is UserReading => r !== DELETED),
      accountId: firstArn ? accountIdFromArn(firstArn) : null,
      credentialReportGeneratedAt: null,
      deletedDuringScan: listed.filter((_, i) => readings[i] === DELETED).map((u) => u.UserName ?? ''),
    };
  }

  async listAllUsers(): Promise<User[]> {
    return followMarkers('listing IAM users', async (Marker) => {
      try {
        const page = await this.client.send(new ListUsersCommand({ MaxItems: LIST_USERS_PAGE_SIZE, Marker }));
        return { items: page.Users ?? [], isTruncated: page.IsTruncated, marker: page.Marker };
      } catch (error) {
        throw new AwsReadError(`listing IAM users failed: ${describeAwsError(error)}`, { cause: error });
      }
    });
  }

  /** DELETED when IAM no longer knows the user: it was deleted after ListUsers listed it. */
  private async readUser(
    user: User,
    read: { password: boolean; accessKeys: boolean; signal: AbortSignal | undefined },
  ): Promise<UserReading | typeof DELETED> {
    const userName = user.UserName ?? '';
    const arn = user.Arn ?? '';
    const createdAt = user.CreateDate ? toWholeSecond(user.CreateDate) : null;
    try {
      if (!userName || !createdAt)
        throw new Error('ListUsers returned a user without UserName or CreateDate');
      const [loginProfile, accessKeys] = await Promise.all([
        read.password
          ? readLoginProfileOfListedUser(this.client, userName, read.signal)
          : Promise.resolve(null),
        read.accessKeys ? this.readAccessKeys(userName, read.signal) : Promise.resolve([]),
      ]);
      if (loginProfile === 'user-gone') return DELETED;
      const snapshot: IamUserSnapshot = {
        userName,
        arn,
        createdAt,
        passwordLastUsedAt: user.PasswordLastUsed ? toWholeSecond(user.PasswordLastUsed) : null,
        loginProfile,
        accessKeys,
      };
      return { kind: 'read', user: snapshot };
    } catch (error) {
      // Cut off by the run's hard stop: not a fault of this user, and not read.
      if (read.signal?.aborted) return notReached(user);
      // ListAccessKeys answers NoSuchEntity only when the user itself is gone.
      if (isNoSuchEntity(error)) return DELETED;
      return { kind: 'unreadable', user: { userName, arn, createdAt, reason: describeAwsError(error) } };
    }
  }

  private async readAccessKeys(
    userName: string,
    signal: AbortSignal | undefined,
  ): Promise<AccessKeySnapshot[]> {
    const metadata = await listAccessKeys(this.client, userName, signal);
    // The credential report numbers keys 1 and 2 by creation; do the same so both sources agree.
    const ordered = [...metadata].sort(
      (a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0),
    );
    const keys = await Promise.all(
      ordered.map(async (key, index): Promise<AccessKeySnapshot | null> => {
        if (!key.AccessKeyId || !key.CreateDate || !key.Status) {
          throw new Error('ListAccessKeys returned a key without AccessKeyId, Status or CreateDate');
        }
        let lastUsedAt: Date | null;
        try {
          lastUsedAt = await readKeyLastUsed(this.client, key.AccessKeyId, signal);
        } catch (error) {
          // Deleted since ListAccessKeys: no longer a credential anybody can use.
          if (isNoSuchEntity(error)) return null;
          throw error;
        }
        return {
          accessKeyId: key.AccessKeyId,
          slot: index === 0 ? 1 : 2,
          status: key.Status === 'Active' ? 'Active' : 'Inactive',
          createdAt: toWholeSecond(key.CreateDate),
          lastUsedAt,
        };
      }),
    );
    return keys.filter((key): key is AccessKeySnapshot => key !== null);
  }
}

function notReached(user: User): UserReading {
  return {
    kind: 'unreadable',
    user: {
      userName: user.UserName ?? '',
      arn: user.Arn ?? '',
      createdAt: user.CreateDate ? toWholeSecond(user.CreateDate) : null,
      reason: NOT_REACHED_REASON,
    },
  };
}
