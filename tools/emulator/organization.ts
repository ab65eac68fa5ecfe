import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { mapWithConcurrency } from '../../src/lib/concurrency';

/**
 * An AWS organisation on the emulator (moto): a management account and member accounts, each with
 * the stale-iam member role (unless told otherwise) and IAM users, created through the member
 * accounts' own credentials (OrganizationAccountAccessRole, which CreateAccount makes), as an
 * administrator would. Used by the emulator tests and the benchmark.
 */

export interface SeedUser {
  readonly userName: string;
  readonly password?: boolean;
  readonly accessKeys?: ReadonlyArray<'active' | 'inactive'>;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface SeedAccount {
  readonly name: string;
  readonly users: readonly SeedUser[];
  /** Create the member role (default true). */
  readonly memberRole?: boolean;
  /** Create the member remediation role, which only those who opt in deploy (default false). */
  readonly remediationRole?: boolean;
  /** Close the account once seeded: it stays listed, SUSPENDED. */
  readonly close?: boolean;
  /** The OU it is moved into, as a path of OU names under the root (`prod`, `prod/web`); the root when absent. */
  readonly organizationalUnit?: string;
}

export interface SeededOrganization {
  readonly managementAccountId: string;
  /** The members in the order given, with their ids. */
  readonly members: ReadonlyArray<{ readonly accountId: string; readonly name: string }>;
  /** The organisation's root id (`r-...`). */
  readonly rootId: string;
  /** Each OU the members asked for, by its path (`prod`, `prod/web`): its id (`ou-...`). */
  readonly organizationalUnits: ReadonlyMap<string, string>;
  /** Credentials that act in the account (the management account's own, or an assumed role). */
  credentialsFor(accountId: string): Promise<AwsCredentialIdentity>;
  /**
   * Whether the role exists: one the seeder created, or OrganizationAccountAccessRole in a member.
   * moto lets anyone assume any role, existing or not; a proxy in front of it uses this to refuse
   * AssumeRole into a missing role, as AWS does.
   */
  roleExists(roleArn: string): boolean;
}

/** The key moto gives the default account; any key moto did not issue acts there. */
export const MANAGEMENT_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'emulator-secret',
};

export interface SeedOptions {
  readonly endpoint: string;
  readonly management: SeedAccount;
  readonly members: readonly SeedAccount[];
  readonly memberRoleName?: string;
  readonly memberRemediationRoleName?: string;
  /** Calls in flight while creating users. */
  readonly concurrency?: number;
}

export async function seedOrganization(options: SeedOptions): Promise<SeededOrganization> {
  const config = (credentials: AwsCredentialIdentity) => ({
    endpoint: options.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 3,
  });
  const organizations = new OrganizationsClient(config(MANAGEMENT_CREDENTIALS));
  const created = await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const managementAccountId = created.Organization?.MasterAccountId ?? '123456789012';
  const members: Array<{ accountId: string; name: string }> = [];
  for (const [index, member] of options.members.entries()) {
    const answer = await organizations.send(
      new CreateAccountCommand({ AccountName: member.name, Email: `member-${index}@example.com` }),
    );
    const accountId = answer.CreateAccountStatus?.AccountId;
    if (!accountId) throw new Error(`CreateAccount gave no account id for ${member.name}`);
    members.push({ accountId, name: member.name });
  }

  const sts = new STSClient(config(MANAGEMENT_CREDENTIALS));
  const credentialsFor = async (accountId: string): Promise<AwsCredentialIdentity> => {
    if (accountId === managementAccountId) return MANAGEMENT_CREDENTIALS;
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'stale-iam-seed',
      }),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`no credentials for ${accountId}`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  };

  const accounts = [
    { accountId: managementAccountId, spec: options.management },
    ...members.map((m, i) => ({ accountId: m.accountId, spec: options.members[i] as SeedAccount })),
  ];
  const roles = new Set(members.map((m) => `arn:aws:iam::${m.accountId}:role/OrganizationAccountAccessRole`));
  for (const { accountId, spec } of accounts) {
    const iam = new IAMClient(config(await credentialsFor(accountId)));
    const roleNames = [
      ...((spec.memberRole ?? true) ? [options.memberRoleName ?? 'stale-iam-member'] : []),
      ...((spec.remediationRole ?? false)
        ? [options.memberRemediationRoleName ?? 'stale-iam-member-remediation']
        : []),
    ];
    for (const roleName of roleNames) {
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      );
      roles.add(`arn:aws:iam::${accountId}:role/${roleName}`);
    }
    await mapWithConcurrency(spec.users, options.concurrency ?? 8, (user) => createUser(iam, user));
  }
  const rootId = (await organizations.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
  if (!rootId) throw new Error('the emulated organisation has no root');
  const units = new Map<string, string>();
  const unitFor = async (unitPath: string): Promise<string> => {
    const known = units.get(unitPath);
    if (known) return known;
    const slash = unitPath.lastIndexOf('/');
    const parent = slash < 0 ? rootId : await unitFor(unitPath.slice(0, slash));
    const created = await organizations.send(
      new CreateOrganizationalUnitCommand({ ParentId: parent, Name: unitPath.slice(slash + 1) }),
    );
    const id = created.OrganizationalUnit?.Id;
    if (!id) throw new Error(`CreateOrganizationalUnit gave no id for ${unitPath}`);
    units.set(unitPath, id);
    return id;
  };
  for (const [index, member] of members.entries()) {
    const unitPath = options.members[index]?.organizationalUnit;
    if (unitPath) {
      await organizations.send(
        new MoveAccountCommand({
          AccountId: member.accountId,
          SourceParentId: rootId,
          DestinationParentId: await unitFor(unitPath),
        }),
      );
    }
    if (options.members[index]?.close)
      await organizations.send(new CloseAccountCommand({ AccountId: member.accountId }));
  }
  return {
    managementAccountId,
    members,
    rootId,
    organizationalUnits: units,
    credentialsFor,
    roleExists: (roleArn) => roles.has(roleArn),
  };
}

async function createUser(iam: IAMClient, user: SeedUser): Promise<void> {
  await iam.send(new CreateUserCommand({ UserName: user.userName }));
  if (user.tags) {
    await iam.send(
      new TagUserCommand({
        UserName: user.userName,
        Tags: Object.entries(user.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }
  if (user.password) {
    await iam.send(
      new CreateLoginProfileCommand({ UserName: user.userName, Password: 'Emulator-Passw0rd!' }),
    );
  }
  for (const status of user.accessKeys ?? []) {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: user.userName }));
    if (status === 'inactive') {
      await iam.send(
        new UpdateAccessKeyCommand({
          UserName: user.userName,
          AccessKeyId: AccessKey?.AccessKeyId,
          Status: 'Inactive',
        }),
      );
    }
  }
}
