import { discoverAccounts, type AccountDirectory } from '../../../src/domain/organization/discover-accounts';
import type { OrganizationAccount } from '../../../src/domain/organization/accounts';

const active = (accountId: string): OrganizationAccount => ({
  accountId,
  name: accountId,
  state: 'ACTIVE',
  status: 'ACTIVE',
});

function directory(whole: OrganizationAccount[], byParent: Record<string, OrganizationAccount[]>) {
  const calls: string[] = [];
  const d: AccountDirectory = {
    listAccounts: async () => {
      calls.push('listAccounts');
      return whole;
    },
    listAccountsUnder: async (parents) => {
      calls.push(`listAccountsUnder ${parents.join(',')}`);
      return parents.flatMap((p) => byParent[p] ?? []);
    },
  };
  return { d, calls };
}

describe('discovering the accounts of a run', () => {
  it('lists the whole organisation when no OU is included', async () => {
    const { d, calls } = directory([active('111111111111'), active('222222222222')], {});

    const found = await discoverAccounts(d, {
      includeOrganizationalUnits: [],
      excludeAccounts: ['222222222222'],
    });

    expect(calls).toEqual(['listAccounts']);
    expect(found.selected.map((a) => a.accountId)).toEqual(['111111111111']);
    expect(found.listed).toBe(2);
  });

  it('lists only the included OUs, never the whole organisation, when OUs are given', async () => {
    const { d, calls } = directory([active('999999999999')], {
      'ou-ab12-cd34ef56': [active('333333333333')],
    });

    const found = await discoverAccounts(d, {
      includeOrganizationalUnits: ['ou-ab12-cd34ef56'],
      excludeAccounts: [],
    });

    expect(calls).toEqual(['listAccountsUnder ou-ab12-cd34ef56']);
    expect(found.selected.map((a) => a.accountId)).toEqual(['333333333333']);
  });

  it('names the excluded accounts the organisation does not list, so a typo is seen', async () => {
    const { d } = directory([active('111111111111')], {});

    const found = await discoverAccounts(d, {
      includeOrganizationalUnits: [],
      excludeAccounts: ['111111111111', '111111111112'],
    });

    expect(found.unknownExclusions).toEqual(['111111111112']);
    expect(found.selected).toEqual([]);
  });

  it('with onlyAccounts keeps only those (still active and not excluded), leaves the rest out, and names those not listed', async () => {
    const suspended: OrganizationAccount = {
      ...active('333333333333'),
      state: 'SUSPENDED',
      status: 'SUSPENDED',
    };
    const { d } = directory(
      [active('111111111111'), active('222222222222'), suspended, active('444444444444')],
      {},
    );

    const found = await discoverAccounts(d, {
      includeOrganizationalUnits: [],
      excludeAccounts: ['444444444444'],
      onlyAccounts: ['222222222222', '333333333333', '444444444444', '555555555555'],
    });

    expect(found.selected.map((a) => a.accountId)).toEqual(['222222222222']);
    expect(found.skipped.map((a) => [a.accountId, a.reason])).toEqual([
      ['333333333333', 'not-active'],
      ['444444444444', 'excluded'],
    ]);
    expect(found.unlistedAccounts).toEqual(['555555555555']);
  });

  it('without onlyAccounts names no unlisted account', async () => {
    const { d } = directory([active('111111111111')], {});

    const found = await discoverAccounts(d, { includeOrganizationalUnits: [], excludeAccounts: [] });

    expect(found.unlistedAccounts).toEqual([]);
    expect(found.selected).toHaveLength(1);
  });
});
