import { accountIds, organizationalUnitIds, roleName } from '../../src/settings/parsers';
import { SETTINGS, parseDeployParameters } from '../../src/settings/table';
import { thrownBy } from '../support/rejection';

const defaults = new Map(Object.values(SETTINGS).map((s) => [s.param, s.default] as const));
const parse = (overrides: Record<string, string>) =>
  parseDeployParameters((param) => overrides[param] ?? defaults.get(param));

describe('the organisation deploy parameters', () => {
  it('default to scanning the one account, with the member role stale-iam-member, 10 accounts at a time, no OU filter and no exclusion', () => {
    const values = parse({});

    expect(values.accountScope).toBe('account');
    expect(values.memberRoleName).toBe('stale-iam-member');
    expect(values.accountConcurrency).toBe(10);
    expect(values.includeOrganizationalUnits).toEqual([]);
    expect(values.excludeAccounts).toEqual([]);
  });

  it('take an organisation scope, a role name, a concurrency and JSON lists', () => {
    const values = parse({
      accountScope: 'organization',
      memberRoleName: 'Audit.Reader@corp',
      accountConcurrency: '250',
      includeOrganizationalUnits: '["ou-ab12-cd34ef56","r-ab12"]',
      excludeAccounts: '["111122223333"]',
    });

    expect(values).toMatchObject({
      accountScope: 'organization',
      memberRoleName: 'Audit.Reader@corp',
      accountConcurrency: 250,
      includeOrganizationalUnits: ['ou-ab12-cd34ef56', 'r-ab12'],
      excludeAccounts: ['111122223333'],
    });
  });

  it.each([
    [
      { accountScope: 'organisation' },
      'the deploy parameter "accountScope" must be one of account, organization, got "organisation"',
    ],
    [{ memberRoleName: 'stale iam' }, 'the deploy parameter "memberRoleName" must be an IAM role name'],
    [{ memberRoleName: 'x'.repeat(65) }, 'the deploy parameter "memberRoleName" must be an IAM role name'],
    [{ memberRoleName: 'role/*' }, 'the deploy parameter "memberRoleName" must be an IAM role name'],
    [
      { accountConcurrency: '0' },
      'the deploy parameter "accountConcurrency" must be a whole number from 1 to 1000, got "0"',
    ],
    [
      { accountConcurrency: '1001' },
      'the deploy parameter "accountConcurrency" must be a whole number from 1 to 1000',
    ],
    [
      { excludeAccounts: '111122223333,444455556666' },
      'the deploy parameter "excludeAccounts" must be a JSON array of AWS account ids such as ["111122223333"], or empty',
    ],
    [
      { excludeAccounts: '["11112222333"]' },
      'the deploy parameter "excludeAccounts": "11112222333" is not an AWS account id (12 digits)',
    ],
    [
      { includeOrganizationalUnits: '["ou-AB12-cd34ef56"]' },
      'is not an organizational unit id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)',
    ],
    [
      { includeOrganizationalUnits: 'ou-ab12-cd34ef56' },
      'must be a JSON array of organizational unit ids such as ["ou-ab12-cd34ef56"], or empty',
    ],
  ])('refuse %j, saying what is wrong', (overrides, message) => {
    expect(thrownBy(() => parse(overrides)).message).toContain(message);
  });

  it('refuse a member remediation role named as the read-only member role, in any letter case, only when both are deployed', () => {
    const same = { memberRoleName: 'stale-iam-member', memberRemediationRoleName: 'Stale-IAM-Member' };

    expect(
      thrownBy(() => parse({ ...same, accountScope: 'organization', remediation: 'true' })).message,
    ).toContain('the scan must never assume a role that can change anything');
    expect(() => parse({ ...same, accountScope: 'organization', remediation: 'false' })).not.toThrow();
    expect(() => parse({ ...same, accountScope: 'account', remediation: 'true' })).not.toThrow();
  });

  it('read a list once per entry and keep its order', () => {
    expect(accountIds('["222222222222","111111111111","222222222222"]', 'x')).toEqual([
      '222222222222',
      '111111111111',
    ]);
    expect(organizationalUnitIds('', 'x')).toEqual([]);
    expect(roleName('stale-iam-member', 'x')).toBe('stale-iam-member');
  });
});
