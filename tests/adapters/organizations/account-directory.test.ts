import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ORGANIZATIONS_PAGE_SIZE,
  OrganizationsAccountDirectory,
} from '../../../src/adapters/organizations/account-directory';
import { AwsReadError } from '../../../src/lib/errors';
import { awsError, rejectionOf } from '../../support/rejection';

const organizations = mockClient(OrganizationsClient);

function account(id: string, state?: string, status?: string): Account {
  return {
    Id: id,
    Name: `acct-${id.slice(-3)}`,
    Arn: `arn:aws:organizations::123456789012:account/o-exampleorgid/${id}`,
    ...(state ? { State: state as Account['State'] } : {}),
    ...(status ? { Status: status as Account['Status'] } : {}),
  };
}

const directory = () => new OrganizationsAccountDirectory(new OrganizationsClient({ region: 'us-east-1' }));

beforeEach(() => organizations.reset());

describe('listing the organisation (ListAccounts)', () => {
  it('asks for pages of 20 and follows NextToken through empty pages until it is absent', async () => {
    const pages = [
      { Accounts: [account('111111111111', 'ACTIVE')], NextToken: 't1' },
      { Accounts: [], NextToken: 't2' },
      { Accounts: [], NextToken: 't3' },
      { Accounts: [account('222222222222', 'SUSPENDED', 'SUSPENDED')] },
    ];
    // The SDK's paginator reuses one input object: record each request as it was sent.
    const requests: unknown[] = [];
    organizations.on(ListAccountsCommand).callsFake((input: object) => {
      requests.push({ ...input });
      return pages.shift();
    });

    const accounts = await directory().listAccounts();

    expect(accounts.map((a) => a.accountId)).toEqual(['111111111111', '222222222222']);
    expect(requests).toEqual([
      { MaxResults: ORGANIZATIONS_PAGE_SIZE, NextToken: undefined },
      { MaxResults: 20, NextToken: 't1' },
      { MaxResults: 20, NextToken: 't2' },
      { MaxResults: 20, NextToken: 't3' },
    ]);
  });

  it('does not stop at an empty first page that carries a NextToken', async () => {
    organizations
      .on(ListAccountsCommand)
      .resolvesOnce({ Accounts: [], NextToken: 'more' })
      .resolvesOnce({ Accounts: [account('111111111111', 'ACTIVE')] });

    expect((await directory().listAccounts()).map((a) => a.accountId)).toEqual(['111111111111']);
  });

  it('keeps State and Status as AWS gives them, null when absent', async () => {
    organizations.on(ListAccountsCommand).resolves({
      Accounts: [
        account('111111111111', 'CLOSED', 'SUSPENDED'),
        account('222222222222', undefined, 'ACTIVE'),
      ],
    });

    expect(await directory().listAccounts()).toEqual([
      { accountId: '111111111111', name: 'acct-111', state: 'CLOSED', status: 'SUSPENDED' },
      { accountId: '222222222222', name: 'acct-222', state: null, status: 'ACTIVE' },
    ]);
  });

  it('says where to run it when the caller may not list the organisation', async () => {
    organizations
      .on(ListAccountsCommand)
      .rejects(awsError('AccessDeniedException', 'You don’t have permissions'));

    const error = await rejectionOf(directory().listAccounts());

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toBe(
      "listing the organization's accounts failed: AccessDeniedException: You don’t have permissions; run it from the management account or a delegated administrator of AWS Organizations (docs/organization.md)",
    );
  });

  it('refuses an account without a 12-digit Id rather than scanning something else', async () => {
    organizations.on(ListAccountsCommand).resolves({ Accounts: [{ Name: 'ghost' }] });

    expect((await rejectionOf(directory().listAccounts())).message).toContain('without a 12-digit Id');
  });
});

describe('listing the accounts under OUs, at any depth', () => {
  it('walks each OU: its accounts and its child OUs, every page of both', async () => {
    organizations
      .on(ListAccountsForParentCommand, { ParentId: 'ou-root-aaaaaaaa' })
      .resolvesOnce({ Accounts: [account('111111111111', 'ACTIVE')], NextToken: 'a' })
      .resolvesOnce({ Accounts: [], NextToken: 'b' })
      .resolvesOnce({ Accounts: [account('222222222222', 'ACTIVE')] });
    organizations
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-root-aaaaaaaa' })
      .resolvesOnce({ OrganizationalUnits: [], NextToken: 'c' })
      .resolvesOnce({ OrganizationalUnits: [{ Id: 'ou-root-bbbbbbbb' }] });
    organizations
      .on(ListAccountsForParentCommand, { ParentId: 'ou-root-bbbbbbbb' })
      .resolves({ Accounts: [account('333333333333', 'ACTIVE')] });
    organizations
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-root-bbbbbbbb' })
      .resolves({ OrganizationalUnits: [] });

    const accounts = await directory().listAccountsUnder(['ou-root-aaaaaaaa']);

    expect(accounts.map((a) => a.accountId)).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(organizations).toHaveReceivedCommandTimes(ListAccountsCommand, 0);
    for (const call of organizations.commandCalls(ListAccountsForParentCommand)) {
      expect(call.args[0].input.MaxResults).toBe(20);
    }
    expect(organizations).toHaveReceivedCommandTimes(ListOrganizationalUnitsForParentCommand, 3);
  });

  it('visits an OU given twice (or given with its parent) once', async () => {
    organizations
      .on(ListAccountsForParentCommand)
      .resolves({ Accounts: [account('111111111111', 'ACTIVE')] });
    organizations
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'r-root' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-root-bbbbbbbb' }] });
    organizations.on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-root-bbbbbbbb' }).resolves({});

    await directory().listAccountsUnder(['r-root', 'ou-root-bbbbbbbb', 'r-root']);

    expect(
      organizations.commandCalls(ListAccountsForParentCommand).map((c) => c.args[0].input.ParentId),
    ).toEqual(['r-root', 'ou-root-bbbbbbbb']);
  });

  it('names the OU it could not list', async () => {
    organizations
      .on(ListAccountsForParentCommand)
      .rejects(awsError('ParentNotFoundException', 'no such parent'));

    expect((await rejectionOf(directory().listAccountsUnder(['ou-gone-12345678']))).message).toBe(
      'listing the accounts under ou-gone-12345678 failed: ParentNotFoundException: no such parent',
    );
  });
});
