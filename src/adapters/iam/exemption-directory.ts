import { GetAccountAuthorizationDetailsCommand, type IAMClient, type UserDetail } from '@aws-sdk/client-iam';
import type { UserDirectoryEntry } from '../../domain/verdict/exemptions';
import type { ExemptionDirectory } from '../../domain/scan/scan-account';
import { AwsReadError, describeAwsError } from '../../lib/errors';
import { createIamClient } from './client';
import { followMarkers } from './reads';

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
}

function toEntry(user: UserDetail): UserDirectoryEntry {
  return {
    userName: user.UserName ?? '',
    path: user.Path ?? '/',
    tags: new Map((user.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    groupNames: user.GroupList ?? [],
  };
}
