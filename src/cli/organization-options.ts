import { InvalidConfigError } from '../lib/errors';
import { SETTINGS } from '../settings/table';

/**
 * `stale-iam scan --organization` and the flags that go with it. The member role's name and the
 * number of accounts scanned at once are the service's `memberRoleName` and `accountConcurrency`
 * settings: the same defaults, ranges and parsers, from the settings table. Account and OU ids hold
 * no commas, so a comma list is unambiguous here (IAM names are another matter: see --exempt-users).
 */

export const ORGANIZATION_OPTIONS = {
  organization: { type: 'boolean' },
  'role-name': { type: 'string' },
  accounts: { type: 'string', multiple: true },
  'exclude-accounts': { type: 'string', multiple: true },
  ou: { type: 'string', multiple: true },
  'account-concurrency': { type: 'string' },
} as const;

export interface OrganizationFlags {
  /** The member role assumed in every account (`--role-name`, the memberRoleName setting). */
  readonly roleName: string;
  /** `--accounts`: only these accounts; empty means every account listed. */
  readonly accounts: readonly string[];
  readonly excludeAccounts: readonly string[];
  /** `--ou`: only the accounts under these OUs or roots, at any depth; empty means the whole organisation. */
  readonly organizationalUnits: readonly string[];
  /** `--account-concurrency`: accounts scanned at the same time (the accountConcurrency setting). */
  readonly accountConcurrency: number;
}

const ROLE_NAME = SETTINGS.memberRoleName;
const ACCOUNT_CONCURRENCY = SETTINGS.accountConcurrency;

export const DEFAULT_MEMBER_ROLE_NAME = ROLE_NAME.parse(ROLE_NAME.default, 'the default member role name');
export const DEFAULT_ACCOUNT_CONCURRENCY = ACCOUNT_CONCURRENCY.parse(
  ACCOUNT_CONCURRENCY.default,
  'the default account concurrency',
);
export const MAX_ACCOUNT_CONCURRENCY = ACCOUNT_CONCURRENCY.range?.max ?? DEFAULT_ACCOUNT_CONCURRENCY;

/** The flags that mean something only with --organization. */
const ORGANIZATION_ONLY = ['role-name', 'accounts', 'exclude-accounts', 'ou', 'account-concurrency'] as const;

/**
 * The organisation flags, validated; null without `--organization` (and then none of its flags may
 * be given: they would silently do nothing).
 */
export function parseOrganizationFlags(values: {
  organization?: boolean;
  'role-name'?: string;
  accounts?: string[];
  'exclude-accounts'?: string[];
  ou?: string[];
  'account-concurrency'?: string;
}): OrganizationFlags | null {
  if (values.organization !== true) {
    const given = ORGANIZATION_ONLY.find((flag) => values[flag] !== undefined);
    if (given) throw new InvalidConfigError(`--${given} applies to --organization only`);
    return null;
  }
  // The deploy parameters' parsers: account ids of 12 digits, OU ids (ou-...) or root ids (r-...).
  const accountIds = SETTINGS.excludeAccounts.parse;
  const accounts = idList('--accounts', values.accounts, accountIds);
  const excludeAccounts = idList('--exclude-accounts', values['exclude-accounts'], accountIds);
  const both = accounts.find((id) => excludeAccounts.includes(id));
  if (both) throw new InvalidConfigError(`account ${both} is in both --accounts and --exclude-accounts`);
  return {
    roleName: ROLE_NAME.parse(values['role-name'] ?? ROLE_NAME.default, '--role-name'),
    accounts,
    excludeAccounts,
    organizationalUnits: idList('--ou', values.ou, SETTINGS.includeOrganizationalUnits.parse),
    accountConcurrency: ACCOUNT_CONCURRENCY.parse(
      values['account-concurrency'] ?? ACCOUNT_CONCURRENCY.default,
      '--account-concurrency',
    ),
  };
}

/** `--accounts 111122223333,444455556666` (or the flag repeated): every entry through the setting's parser. */
function idList(
  flag: string,
  given: readonly string[] | undefined,
  parse: (raw: unknown, label: string) => string[],
): string[] {
  if (given === undefined) return [];
  const entries = given.flatMap((value) => value.split(',')).map((entry) => entry.trim());
  if (entries.some((entry) => entry === '')) {
    throw new InvalidConfigError(
      `${flag} needs ids separated by commas, got ${JSON.stringify(given.join(','))}`,
    );
  }
  return parse(entries, flag);
}
