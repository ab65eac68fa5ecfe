import {
  DeleteLoginProfileCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListGroupsForUserCommand,
  UpdateAccessKeyCommand,
  type AccessKeyMetadata,
  type Group,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { LiveAccessKey, LiveIam, LiveLoginProfile, LiveUser } from '../domain/remediate';
import { createIamClient } from './aws-clients';
import { isNoSuchEntity } from './iam-api-source';
import { toWholeSecond } from './timestamps';

/**
 * The disable step's view of IAM: fresh reads of one user just before acting, and the two writes.
 * NoSuchEntity means "already gone" everywhere: a user, profile or key removed since the scan.
 */
export class IamLiveAccess implements LiveIam {
  constructor(private readonly client: IAMClient = createIamClient()) {}

  async readUser(userName: string, withGroups: boolean): Promise<LiveUser | null> {
    let user;
    try {
      ({ User: user } = await this.client.send(new GetUserCommand({ UserName: userName })));
    } catch (error) {
      if (isNoSuchEntity(error)) return null;
      throw error;
    }
    if (!user) return null;
    return {
      userName,
      path: user.Path ?? '/',
      tags: new Map((user.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
      passwordLastUsedAt: user.PasswordLastUsed ? toWholeSecond(user.PasswordLastUsed) : null,
      groupNames: withGroups ? await this.readGroups(userName) : null,
    };
  }

  async readLoginProfile(userName: string): Promise<LiveLoginProfile | null> {
    try {
      const { LoginProfile } = await this.client.send(new GetLoginProfileCommand({ UserName: userName }));
      if (!LoginProfile?.CreateDate) throw new Error('GetLoginProfile returned no CreateDate');
      return {
        createdAt: toWholeSecond(LoginProfile.CreateDate),
        passwordResetRequired: LoginProfile.PasswordResetRequired ?? false,
      };
    } catch (error) {
      if (isNoSuchEntity(error)) return null;
      throw error;
    }
  }

  async readAccessKeys(userName: string): Promise<LiveAccessKey[]> {
    const metadata: AccessKeyMetadata[] = [];
    let marker: string | undefined;
    do {
      const page = await this.client.send(new ListAccessKeysCommand({ UserName: userName, Marker: marker }));
      metadata.push(...(page.AccessKeyMetadata ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    const keys: LiveAccessKey[] = [];
    for (const key of metadata) {
      if (!key.AccessKeyId || !key.CreateDate) continue;
      const { AccessKeyLastUsed } = await this.client.send(
        new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }),
      );
      keys.push({
        accessKeyId: key.AccessKeyId,
        status: key.Status ?? 'Unknown',
        createdAt: toWholeSecond(key.CreateDate),
        lastUsedAt: AccessKeyLastUsed?.LastUsedDate ? toWholeSecond(AccessKeyLastUsed.LastUsedDate) : null,
      });
    }
    return keys;
  }

  async deleteLoginProfile(userName: string): Promise<'deleted' | 'already-gone'> {
    try {
      await this.client.send(new DeleteLoginProfileCommand({ UserName: userName }));
      return 'deleted';
    } catch (error) {
      if (isNoSuchEntity(error)) return 'already-gone';
      throw error;
    }
  }

  async deactivateAccessKey(userName: string, accessKeyId: string): Promise<'deactivated' | 'already-gone'> {
    try {
      await this.client.send(
        new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' }),
      );
      return 'deactivated';
    } catch (error) {
      if (isNoSuchEntity(error)) return 'already-gone';
      throw error;
    }
  }

  private async readGroups(userName: string): Promise<string[]> {
    const groups: Group[] = [];
    let marker: string | undefined;
    do {
      const page = await this.client.send(
        new ListGroupsForUserCommand({ UserName: userName, Marker: marker }),
      );
      groups.push(...(page.Groups ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return groups.map((g) => g.GroupName ?? '').filter((name) => name.length > 0);
  }
}
