import { selectAccounts, type AccountSelection, type OrganizationAccount } from './accounts';

/** The organisation as the scan sees it (AWS Organizations in the service; the same adapter in the CLI). */
export interface AccountDirectory {
  /** Every account of the organisation. */
  listAccounts(): Promise<OrganizationAccount[]>;
  /** The accounts under these OUs or roots, at any depth. */
  listAccountsUnder(parentIds: readonly string[]): Promise<OrganizationAccount[]>;
}

export interface DiscoveryOptions {
  /** OU or root ids: only their accounts are listed; empty means the whole organisation. */
  readonly includeOrganizationalUnits: readonly string[];
  readonly excludeAccounts: readonly string[];
  /** Only these accounts, when given and not empty (the CLI's `--accounts`); the rest are left out. */
  readonly onlyAccounts?: readonly string[];
}

export interface Discovery extends AccountSelection {
  /** How many accounts the directory listed, before selection. */
  readonly listed: number;
  /** Excluded account ids the directory did not list (a typo, or an account that left). */
  readonly unknownExclusions: readonly string[];
  /** Accounts of `onlyAccounts` the directory did not list (a typo, or not under the included OUs). */
  readonly unlistedAccounts: readonly string[];
}

/**
 * The accounts one run scans: listed from the whole organisation, or only from the included OUs
 * (never both: an OU filter must not cost a listing of every account), then selected (active, not
 * excluded, each once).
 */
export async function discoverAccounts(
  directory: AccountDirectory,
  options: DiscoveryOptions,
): Promise<Discovery> {
  const listed =
    options.includeOrganizationalUnits.length > 0
      ? await directory.listAccountsUnder(options.includeOrganizationalUnits)
      : await directory.listAccounts();
  const listedIds = new Set(listed.map((a) => a.accountId));
  return {
    ...selectAccounts(listed, options),
    listed: listed.length,
    unknownExclusions: options.excludeAccounts.filter((id) => !listedIds.has(id)),
    unlistedAccounts: (options.onlyAccounts ?? []).filter((id) => !listedIds.has(id)),
  };
}
