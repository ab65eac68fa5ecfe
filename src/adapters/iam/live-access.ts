import {
  DeleteLoginProfileCommand,
  GetAccountSummaryCommand,
  GetUserCommand,
  ListGroupsForUserCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type {
  AccountCensus,
  LiveAccessKey,
  LiveIam,
  LiveLoginProfile,
  LiveUser,
  PasswordsLastSet,
} from '../../domain/remediation/ports';
import { CredentialReportSource, type CredentialReportSourceOptions } from '../credential-report/source';
import { createIamClient } from './client';
import { followMarkers, isNoSuchEntity, listAccessKeys, readKeyLastUsed, readLoginProfile } from './reads';
import { toWholeSecond } from '../../lib/timestamps';

/**
 * The disable step's view of IAM: fresh reads of one user just before acting, the account's
 * credential report (when each password was last set), and the two writes. NoSuchEntity means
 * "already gone" everywhere: a user, profile or key removed since the scan.
 */
export class IamLiveAccess implements LiveIam, AccountCensus {
  private readonly report: CredentialReportSource;

  /** `report`: the waits of the credential report (the scan's defaults unless a test says otherwise). */
  constructor(
    private readonly client: IAMClient = createIamClient(),
    report: Omit<CredentialReportSourceOptions, 'client'> = {},
  ) {
    // The re-check cannot change source: without the report it deletes no password this run.
    this.report = new CredentialReportSource({ whenNotReady: 'the next run tries again', ...report, client });
  }

  /** `SummaryMap.Users` of GetAccountSummary: how many IAM users the account holds now. */
  async countUsers(): Promise<number> {
    const { SummaryMap } = await this.client.send(new GetAccountSummaryCommand({}));
    const users = SummaryMap?.Users;
    if (typeof users !== 'number' || !Number.isInteger(users) || users < 0) {
      throw new Error(`GetAccountSummary returned no user count (Users: ${JSON.stringify(users) ?? 'none'})`);
    }
    return users;
  }

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
      // Tag keys of a user are matched ignoring case (exemptionCause), as IAM compares them.
      tags: new Map((user.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
      passwordLastUsedAt: user.PasswordLastUsed ? toWholeSecond(user.PasswordLastUsed) : null,
      groupNames: withGroups ? await this.readGroups(userName) : null,
    };
  }

  async readLoginProfile(userName: string): Promise<LiveLoginProfile | null> {
    const profile = await readLoginProfile(this.client, userName);
    return profile
      ? { createdAt: profile.createdAt, passwordResetRequired: profile.passwordResetRequired ?? false }
      : null;
  }

  /** The scan's own credential report source: the same calls, waits, retries and parser. */
  async readPasswordsLastSet({ shouldStop }: { shouldStop?: () => boolean }): Promise<PasswordsLastSet> {
    const inventory = await this.report.read({ scope: 'password', shouldStop });
    const users: PasswordsLastSet['users'][number][] = [];
    for (const reading of inventory.users) {
      // Left out, a user the report could not read is one whose password is not acted on.
      if (reading.kind !== 'read') continue;
      // The parser gives `password_last_changed` as the profile's date where the password is enabled.
      users.push({
        userName: reading.user.userName,
        lastSetAt: reading.user.loginProfile?.createdAt ?? null,
      });
    }
    return { generatedAt: inventory.credentialReportGeneratedAt, users };
  }

  async readAccessKeys(userName: string): Promise<LiveAccessKey[]> {
    const keys: LiveAccessKey[] = [];
    for (const key of await listAccessKeys(this.client, userName)) {
      if (!key.AccessKeyId || !key.CreateDate) continue;
      keys.push({
        accessKeyId: key.AccessKeyId,
        status: key.Status ?? 'Unknown',
        createdAt: toWholeSecond(key.CreateDate),
        lastUsedAt: await readKeyLastUsed(this.client, key.AccessKeyId),
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
    const groups = await followMarkers('listing groups', async (Marker) => {
      const page = await this.client.send(new ListGroupsForUserCommand({ UserName: userName, Marker }));
      return { items: page.Groups ?? [], isTruncated: page.IsTruncated, marker: page.Marker };
    });
    return groups.map((g) => g.GroupName ?? '').filter((name) => name.length > 0);
  }
}
