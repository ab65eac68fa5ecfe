/**
 * Which accounts of an AWS Organization a run scans. Pure: the organizations adapter lists them,
 * this decides. The rule is written once here for the service and the CLI.
 */

/** An account as AWS Organizations lists it (ListAccounts, ListAccountsForParent). */
export interface OrganizationAccount {
  readonly accountId: string;
  readonly name: string;
  /** `State`: PENDING_ACTIVATION, ACTIVE, SUSPENDED, PENDING_CLOSURE or CLOSED; null when absent. */
  readonly state: string | null;
  /** `Status`, being retired (ACTIVE, SUSPENDED, PENDING_CLOSURE): read only when `State` is absent. */
  readonly status: string | null;
}

/** One account to scan: the item of the Distributed Map, and what every result names. */
export interface AccountRef {
  readonly accountId: string;
  readonly name: string;
}

export const SKIP_REASONS = ['not-active', 'excluded'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface SkippedAccount extends AccountRef {
  readonly reason: SkipReason;
  /** The state that made it `not-active` (SUSPENDED, CLOSED, ...), or null. */
  readonly state: string | null;
}

export interface AccountSelection {
  /** Sorted by account id, each once. */
  readonly selected: AccountRef[];
  readonly skipped: SkippedAccount[];
}

/**
 * Only ACTIVE accounts can be scanned: a suspended or closing account cannot be signed in to.
 * `State` decides; `Status` (being retired by AWS) only when `State` is absent. An account with
 * neither is not known to be active, so it is skipped rather than guessed at.
 */
export function isActive(account: Pick<OrganizationAccount, 'state' | 'status'>): boolean {
  return (account.state ?? account.status) === 'ACTIVE';
}

/** The state that counts for `isActive`, for the record. */
export function effectiveState(account: Pick<OrganizationAccount, 'state' | 'status'>): string | null {
  return account.state ?? account.status;
}

/**
 * The accounts a run scans: every listed account that is active and not excluded, once each (an
 * account reached through two included OUs is listed twice), in account-id order so that runs and
 * reports are stable. With `onlyAccounts` (the CLI's `--accounts`), the other listed accounts are
 * left out altogether: neither scanned nor reported as skipped, as if the organisation held only
 * those; the rule (active, not excluded) still applies to them.
 */
export function selectAccounts(
  accounts: Iterable<OrganizationAccount>,
  options: { readonly excludeAccounts: readonly string[]; readonly onlyAccounts?: readonly string[] },
): AccountSelection {
  const excluded = new Set(options.excludeAccounts);
  const only = options.onlyAccounts?.length ? new Set(options.onlyAccounts) : null;
  const seen = new Set<string>();
  const selected: AccountRef[] = [];
  const skipped: SkippedAccount[] = [];
  for (const account of accounts) {
    if (seen.has(account.accountId) || (only && !only.has(account.accountId))) continue;
    seen.add(account.accountId);
    const ref = { accountId: account.accountId, name: account.name };
    if (excluded.has(account.accountId)) {
      skipped.push({ ...ref, reason: 'excluded', state: effectiveState(account) });
    } else if (!isActive(account)) {
      skipped.push({ ...ref, reason: 'not-active', state: effectiveState(account) });
    } else {
      selected.push(ref);
    }
  }
  const byId = (a: AccountRef, b: AccountRef) => (a.accountId < b.accountId ? -1 : 1);
  return { selected: selected.sort(byId), skipped: skipped.sort(byId) };
}
