import {
  isActive,
  selectAccounts,
  type OrganizationAccount,
} from '../../../src/domain/organization/accounts';

function listed(accountId: string, state: string | null, status: string | null = state): OrganizationAccount {
  return { accountId, name: `n-${accountId.slice(-2)}`, state, status };
}

describe('which accounts of the organisation a run scans', () => {
  it('scans ACTIVE accounts and skips suspended, closing, closed and not yet active ones, saying why', () => {
    const selection = selectAccounts(
      [
        listed('111111111111', 'ACTIVE'),
        listed('222222222222', 'SUSPENDED'),
        listed('333333333333', 'PENDING_CLOSURE'),
        listed('444444444444', 'CLOSED', 'SUSPENDED'),
        listed('555555555555', 'PENDING_ACTIVATION', null),
      ],
      { excludeAccounts: [] },
    );

    expect(selection.selected).toEqual([{ accountId: '111111111111', name: 'n-11' }]);
    expect(selection.skipped).toEqual([
      { accountId: '222222222222', name: 'n-22', reason: 'not-active', state: 'SUSPENDED' },
      { accountId: '333333333333', name: 'n-33', reason: 'not-active', state: 'PENDING_CLOSURE' },
      { accountId: '444444444444', name: 'n-44', reason: 'not-active', state: 'CLOSED' },
      { accountId: '555555555555', name: 'n-55', reason: 'not-active', state: 'PENDING_ACTIVATION' },
    ]);
  });

  it('decides on State and reads the retiring Status only when State is absent', () => {
    expect(isActive({ state: 'ACTIVE', status: 'SUSPENDED' })).toBe(true);
    expect(isActive({ state: 'SUSPENDED', status: 'ACTIVE' })).toBe(false);
    expect(isActive({ state: null, status: 'ACTIVE' })).toBe(true);
    expect(isActive({ state: null, status: 'SUSPENDED' })).toBe(false);
  });

  it('skips an account with neither State nor Status rather than guessing it is active', () => {
    const { selected, skipped } = selectAccounts([listed('111111111111', null, null)], {
      excludeAccounts: [],
    });

    expect(selected).toEqual([]);
    expect(skipped).toEqual([{ accountId: '111111111111', name: 'n-11', reason: 'not-active', state: null }]);
  });

  it('skips excluded accounts, even active ones, as excluded', () => {
    const { selected, skipped } = selectAccounts(
      [
        listed('111111111111', 'ACTIVE'),
        listed('222222222222', 'ACTIVE'),
        listed('333333333333', 'SUSPENDED'),
      ],
      { excludeAccounts: ['222222222222', '333333333333'] },
    );

    expect(selected.map((a) => a.accountId)).toEqual(['111111111111']);
    expect(skipped.map((a) => [a.accountId, a.reason])).toEqual([
      ['222222222222', 'excluded'],
      ['333333333333', 'excluded'],
    ]);
  });

  it('lists an account reached twice (two included OUs) once, and sorts by account id', () => {
    const { selected } = selectAccounts(
      [listed('999999999999', 'ACTIVE'), listed('111111111111', 'ACTIVE'), listed('999999999999', 'ACTIVE')],
      { excludeAccounts: [] },
    );

    expect(selected.map((a) => a.accountId)).toEqual(['111111111111', '999999999999']);
  });
});
