import {
  GetAccountAuthorizationDetailsCommand,
  GetUserCommand,
  type IAMClient,
  type UserDetail,
} from '@aws-sdk/client-iam';
import type { UserDirectoryEntry } from '../../domain/verdict/exemptions';
import type { ExemptionDirectory } from '../../domain/scan/scan-account';
import { mapWithConcurrency } from '../../lib/concurrency';
import { AwsReadError, describeAwsError } from '../../lib/errors';
import { createIamClient } from './client';
import { followMarkers, isNoSuchEntity } from './reads';

/** GetUser calls in flight when confirming deletions: a few users at most, usually none. */
const GET_USER_CONCURRENCY = 4;

/**
 * Every user's path, tags and groups from GetAccountAuthorizationDetails (Filter User): up to 1,000
 * users per call, where ListUserTags and ListGroupsForUser would cost two calls per user.
 */
export class IamExemptionDirectory implements ExemptionDirectory {
  constructor(private readonly client: IAMClient = createIamClient()) {}

  async readAll(): Promise<ReadonlyMap<string, UserDirectoryEntry>> {
    const what = "reading users' tags and groups";
    const users = await followMarkers(what, async (Marker) => {
      try {
        const page = await this.client.send(
          new GetAccountAuthorizationDetailsCommand({ Filter: ['User'], MaxItems: 1000, Marker }),
        );
        return { items: page.UserDetailList ?? [], isTruncated: page.IsTruncated, marker: page.Marker };
      } catch (error) {
        throw new AwsReadError(`${what} failed: ${describeAwsError(error)}`, { cause: error });
      }
    });
    return new Map(users.filter((u) => u.UserName).map((u) => [u.UserName ?? '', toEntry(u)]));
  }

  /**
   * GetUser for each user the scan read but GetAccountAuthorizationDetails did not list: only
   * NoSuchEntity means deleted. A user GetUser still finds, or any other answer (AccessDenied,
   * Throttling), is not confirmed deleted and stays an error in the report.
   */
  async deletedOf(userNames: readonly string[]): Promise<ReadonlySet<string>> {
    const gone = await mapWithConcurrency(userNames, GET_USER_CONCURRENCY, async (userName) => {
      try {
        await this.client.send(new GetUserCommand({ UserName: userName }));
        return false;
      } catch (error) {
        return isNoSuchEntity(error);
      }
    });
    return new Set(userNames.filter((_, i) => gone[i]));
  }
}

function toEntry(user: UserDetail): UserDirectoryEntry {
  return {
    userName: user.UserName ?? '',
    path: user.Path ?? '/',
    tags: new Map((user.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    groupNames: user.GroupList ?? [],
  };
}
