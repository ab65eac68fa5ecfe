import {
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  type Account,
} from '@aws-sdk/client-organizations';
import type { OrganizationAccount } from '../../domain/organization/accounts';
import type { AccountDirectory } from '../../domain/organization/discover-accounts';
import { AwsReadError, describeAwsError } from '../../lib/errors';
import { ACCOUNT_ID } from '../../settings/parsers';

/** ListAccounts, ListAccountsForParent and ListOrganizationalUnitsForParent return at most 20 per page. */
export const ORGANIZATIONS_PAGE_SIZE = 20;

/** Organizations allows few requests per second; each page is retried on its own, with the SDK's backoff. */
const MAX_ATTEMPTS = 8;

export function createOrganizationsClient(
  overrides: ConstructorParameters<typeof OrganizationsClient>[0] = {},
): OrganizationsClient {
  return new OrganizationsClient({ maxAttempts: MAX_ATTEMPTS, ...overrides });
}

const WHERE_TO_RUN =
  'run it from the management account or a delegated administrator of AWS Organizations (docs/organization.md)';

/**
 * The accounts of the organisation, as AWS Organizations lists them: every page until `NextToken`
 * is absent (a page may be empty while more remain), 20 accounts a page. Nothing is filtered here:
 * which accounts a run scans is decided in domain/organization/accounts.ts.
 */
export class OrganizationsAccountDirectory implements AccountDirectory {
  constructor(private readonly client: OrganizationsClient = createOrganizationsClient()) {}

  /** Every account of the organisation (ListAccounts). */
  async listAccounts(): Promise<OrganizationAccount[]> {
    const accounts: OrganizationAccount[] = [];
    try {
      for await (const page of paginateListAccounts(
        { client: this.client, pageSize: ORGANIZATIONS_PAGE_SIZE },
        {},
      )) {
        for (const account of page.Accounts ?? []) accounts.push(toAccount(account));
      }
    } catch (error) {
      throw readError("listing the organization's accounts", error);
    }
    return accounts;
  }

  /**
   * The accounts under each parent (an OU or the root), at any depth: each parent's accounts
   * (ListAccountsForParent) and its OUs (ListOrganizationalUnitsForParent), whose accounts and OUs
   * are listed in turn. An account under two of the parents is listed twice.
   */
  async listAccountsUnder(parentIds: readonly string[]): Promise<OrganizationAccount[]> {
    const accounts: OrganizationAccount[] = [];
    const visited = new Set<string>();
    const queue = [...parentIds];
    for (let parentId = queue.shift(); parentId !== undefined; parentId = queue.shift()) {
      if (visited.has(parentId)) continue;
      visited.add(parentId);
      try {
        for await (const page of paginateListAccountsForParent(
          { client: this.client, pageSize: ORGANIZATIONS_PAGE_SIZE },
          { ParentId: parentId },
        )) {
          for (const account of page.Accounts ?? []) accounts.push(toAccount(account));
        }
        for await (const page of paginateListOrganizationalUnitsForParent(
          { client: this.client, pageSize: ORGANIZATIONS_PAGE_SIZE },
          { ParentId: parentId },
        )) {
          for (const unit of page.OrganizationalUnits ?? []) if (unit.Id) queue.push(unit.Id);
        }
      } catch (error) {
        throw readError(`listing the accounts under ${parentId}`, error);
      }
    }
    return accounts;
  }
}

function toAccount(account: Account): OrganizationAccount {
  if (!account.Id || !ACCOUNT_ID.test(account.Id)) {
    throw new AwsReadError(
      `AWS Organizations listed an account without a 12-digit Id (${JSON.stringify(account.Id)})`,
    );
  }
  return {
    accountId: account.Id,
    name: account.Name ?? '',
    state: account.State ?? null,
    status: account.Status ?? null,
  };
}

function readError(what: string, error: unknown): AwsReadError {
  if (error instanceof AwsReadError) return error;
  const name = error instanceof Error ? error.name : '';
  const hint = /AccessDenied|AWSOrganizationsNotInUse/.test(name) ? `; ${WHERE_TO_RUN}` : '';
  return new AwsReadError(`${what} failed: ${describeAwsError(error)}${hint}`, { cause: error });
}
