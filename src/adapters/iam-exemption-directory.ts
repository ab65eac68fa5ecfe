import { GetAccountAuthorizationDetailsCommand, type IAMClient, type UserDetail } from '@aws-sdk/client-iam';
import type { UserDirectoryEntry } from '../domain/exemptions';
import type { ExemptionDirectory } from '../domain/scan-account';
import { AwsReadError, describeAwsError } from '../lib/errors';
import { createIamClient } from './aws-clients';

/**
 * Every user's path, tags and groups from GetAccountAuthorizationDetails (Filter User): up to 1,000
 * users per call, where ListUserTags and ListGroupsForUser would cost two calls per user.
 */
export class IamExemptionDirectory implements ExemptionDirectory {
  constructor(private readonly client: IAMClient = createIamClient()) {}

  async readAll(): Promise<ReadonlyMap<string, UserDirectoryEntry>> {
    const entries = new Map<string, UserDirectoryEntry>();
    const seenMarkers = new Set<string>();
    let marker: string | undefined;
    for (;;) {
      let page;
      try {
        page = await this.client.send(
          new GetAccountAuthorizationDetailsCommand({ Filter: ['User'], MaxItems: 1000, Marker: marker }),
        );
      } catch (error) {
        throw new AwsReadError(`reading users' tags and groups failed: ${describeAwsError(error)}`, {
          cause: error,
        });
      }
      for (const user of page.UserDetailList ?? []) {
        if (user.UserName) entries.set(user.UserName, toEntry(user));
      }
      if (!page.IsTruncated) return entries;
      if (!page.Marker || seenMarkers.has(page.Marker)) {
        throw new AwsReadError("reading users' tags and groups failed: IsTruncated without a new Marker");
      }
      seenMarkers.add(page.Marker);
      marker = page.Marker;
    }
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
