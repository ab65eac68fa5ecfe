import { IAMClient } from '@aws-sdk/client-iam';
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { credentialReportCsv, serveCredentialReport, type ReportRow } from './credential-report-fixture';
import { awsError } from './rejection';
import { runCliInProcess, type CliRun } from './run-cli';

/**
 * An AWS organisation behind mocked SDK clients, for the CLI's `--organization` in-process: AWS
 * Organizations lists the accounts (pages of 20, an empty page among them), STS answers who the
 * caller is and assumes each account's member role (or refuses, for an account without it), and
 * each account has an IAM client of its own, reached only with that account's session, serving its
 * credential report. `run` runs `stale-iam` with these clients.
 */

export const CALLER_ARN = 'arn:aws:iam::999999999999:user/ops';
export const NOW = new Date('2026-11-28T00:00:00Z');

export interface FakeAccount {
  readonly id: string;
  readonly name: string;
  /** `State` (and `Status`) in ListAccounts; ACTIVE when absent. */
  readonly state?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  /** The credential report's users (a root row is added). */
  readonly users?: readonly ReportRow[];
  /** The member role exists and trusts the caller (default true). */
  readonly role?: boolean;
  /** The OU the account sits in, directly (`--ou`); the root when absent. */
  readonly ou?: string;
}

export interface FakeOrganizationOptions {
  readonly accounts: readonly FakeAccount[];
  /** OU id -> its parent (an OU or the root `r-root`). */
  readonly ous?: Readonly<Record<string, string>>;
  readonly callerArn?: string;
}

export const ROOT = 'r-root';

export class FakeOrganization {
  readonly organizations: AwsClientStub<OrganizationsClient>;
  readonly sts: AwsClientStub<STSClient>;
  /** Each account's IAM stub, by account id: shape it further in a test. */
  readonly iam = new Map<string, AwsClientStub<IAMClient>>();
  private readonly clients = new Map<string, IAMClient>();

  constructor(private readonly options: FakeOrganizationOptions) {
    this.organizations = mockClient(OrganizationsClient);
    this.sts = mockClient(STSClient);
    const listed = options.accounts.map(toAccount);
    // 20 a page, and an empty page with a NextToken in the middle: the listing must go on.
    const pages: { Accounts: Account[]; NextToken?: string }[] = [];
    for (let i = 0; i < listed.length; i += 20) pages.push({ Accounts: listed.slice(i, i + 20) });
    pages.splice(1, 0, { Accounts: [] });
    pages.forEach((page, i) => {
      if (i < pages.length - 1) page.NextToken = `page-${i + 1}`;
    });
    this.organizations.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) => {
      const index = input.NextToken ? Number(input.NextToken.slice('page-'.length)) : 0;
      return pages[index];
    });
    const ous = options.ous ?? {};
    this.organizations.on(ListAccountsForParentCommand).callsFake((input: { ParentId?: string }) => ({
      Accounts: options.accounts.filter((a) => (a.ou ?? ROOT) === input.ParentId).map(toAccount),
    }));
    this.organizations
      .on(ListOrganizationalUnitsForParentCommand)
      .callsFake((input: { ParentId?: string }) => ({
        OrganizationalUnits: Object.entries(ous)
          .filter(([, parent]) => parent === input.ParentId)
          .map(([Id]) => ({ Id, Name: Id })),
      }));

    const callerArn = options.callerArn ?? CALLER_ARN;
    this.sts.on(GetCallerIdentityCommand).resolves({
      Arn: callerArn,
      Account: /::(\d{12}):/.exec(callerArn)?.[1],
      UserId: 'AIDAOPS',
    });
    const partition = /^arn:([^:]+):/.exec(callerArn)?.[1] ?? 'aws';
    this.sts.on(AssumeRoleCommand).callsFake((input: { RoleArn?: string; RoleSessionName?: string }) => {
      const id = /::(\d{12}):role\//.exec(input.RoleArn ?? '')?.[1] ?? '';
      const account = options.accounts.find((a) => a.id === id);
      if (!account || account.role === false) {
        throw awsError(
          'AccessDenied',
          `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
        );
      }
      return {
        Credentials: {
          AccessKeyId: `ASIA${id}XXXX`,
          SecretAccessKey: 'secret',
          SessionToken: 'token',
          Expiration: new Date(NOW.getTime() + 3_600_000),
        },
        AssumedRoleUser: {
          Arn: `arn:${partition}:sts::${id}:assumed-role/${input.RoleArn?.split('/').pop()}/${input.RoleSessionName}`,
          AssumedRoleId: `AROA${id}:${input.RoleSessionName}`,
        },
      };
    });

    for (const account of options.accounts) {
      const client = new IAMClient({ region: 'us-east-1' });
      const stub = mockClient(client);
      serveCredentialReport(stub, credentialReportCsv(account.id, account.users ?? []));
      this.iam.set(account.id, stub);
      this.clients.set(account.id, client);
    }
  }

  /** The IAM client of the account whose session `credentials` are; never one for the caller's own. */
  iamClientFor = (_aws: unknown, credentials?: AwsCredentialIdentity): IAMClient => {
    const id = /^ASIA(\d{12})XXXX$/.exec(credentials?.accessKeyId ?? '')?.[1];
    const client = id === undefined ? undefined : this.clients.get(id);
    if (!client) throw new Error(`no IAM client for credentials ${credentials?.accessKeyId ?? 'none'}`);
    return client;
  };

  /** The accounts whose member role was asked for, in the order asked. */
  assumed(): string[] {
    return this.sts
      .commandCalls(AssumeRoleCommand)
      .map((call) => /::(\d{12}):role\//.exec(call.args[0].input.RoleArn ?? '')?.[1] ?? '');
  }

  run(
    args: readonly string[],
    options: { isTTY?: boolean; onStdout?: (text: string) => void } = {},
  ): Promise<CliRun> {
    return runCliInProcess(['scan', '--organization', ...args], {
      now: NOW,
      iamClient: this.iamClientFor,
      organizationsClient: () => new OrganizationsClient({ region: 'us-east-1' }),
      stsClient: () => new STSClient({ region: 'us-east-1' }),
      sleep: async () => undefined,
      ...options,
    });
  }

  restore(): void {
    this.organizations.restore();
    this.sts.restore();
  }
}

function toAccount(account: FakeAccount): Account {
  const state = account.state ?? 'ACTIVE';
  return {
    Id: account.id,
    Name: account.name,
    Arn: `arn:aws:organizations::999999999999:account/o-exampleorgid/${account.id}`,
    Email: `${account.name}@example.com`,
    State: state as Account['State'],
    Status: (state === 'PENDING_CLOSURE' ? 'PENDING_CLOSURE' : state) as Account['Status'],
  };
}
