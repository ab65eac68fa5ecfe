import type { ComparisonCaveat, CredentialRef, NewlyStaleReason, NoLongerStaleReason } from './changes';
import type { AccountScanStatus } from './report-view';
import type { UserStatus } from '../verdict/evaluate';
import type { PlanBlock } from '../remediation/plan';
import { TEXT } from '../notification/text';

/** Every word of the visual report (English). */
export const PAGE_TEXT = {
  title: (account: string) => `stale-iam report: ${account}`,
  organisation: 'organisation',
  unknownAccount: 'unknown account',
  evaluatedAt: 'Evaluated at',
  threshold: (days: number) => `Threshold: ${days} days`,
  scope: (scope: string) => `credentials checked: ${scope}`,
  source: (source: string) => `source: ${source}`,
  partial: (errors: number, users: number) =>
    `PARTIAL SCAN: ${errors} of ${users} users could not be evaluated; the figures below are incomplete.`,
  failedAccounts: (count: number) => `${count} account(s) could not be scanned completely; see "By account".`,
  figures: {
    users: 'IAM users',
    stale: 'stale users',
    activeWithStale: 'active users holding a stale credential',
    staleCredentials: 'stale credentials',
    noCredentials: 'users without credentials',
    exempt: 'exempt users',
    errors: 'users not evaluated',
    sincePrevious: (delta: number) =>
      `${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${Math.abs(delta)} since the previous run`,
  },
  histogram: {
    heading: 'Idle days per user',
    note: (days: number) =>
      `Days since each user last used a credential that counts (a password or an active key), coloured by the verdict; the dashed line is the threshold, ${days} days.`,
    axisX: 'days since last use',
    axisY: 'users',
    noData: 'No user has a credential that counts.',
  },
  trend: {
    heading: 'Stale users per run',
    axisY: 'stale users',
    partial: 'A hollow point is a partial run: some users could not be evaluated, so its count is a floor.',
    onlyThisRun: 'The history starts with this run: later reports show the trend.',
    ignored: (count: number) =>
      count === 1
        ? '1 history entry was ignored because it is not valid:'
        : `${count} history entries were ignored because they are not valid:`,
  },
  changes: {
    heading: 'What changed since the previous run',
    previous: (at: string) => `Compared with the run evaluated at ${at}.`,
    noPrevious: 'There is no earlier run to compare with.',
    previousUnreadable: (reason: string) =>
      `The previous run's report could not be read, so nothing is compared: ${reason}`,
    caveat: (c: ComparisonCaveat) =>
      c.kind === 'threshold'
        ? `The threshold changed from ${c.before} to ${c.now} days: some changes come from that, not from use.`
        : c.kind === 'scope'
          ? `The credentials checked changed from ${c.before} to ${c.now}.`
          : `The source changed from ${c.before} to ${c.now}: access keys may not match between the runs.`,
    notComparable: (count: number) =>
      `${count} user(s) could not be evaluated in one of the two runs; their changes are unknown and not listed.`,
    newlyStale: (count: number) => `Newly stale (${count})`,
    noLongerStale: (count: number) => `No longer stale (${count})`,
    disabled: (count: number, dryRun: boolean) =>
      dryRun ? `Would be disabled in this run (dry run) (${count})` : `Disabled in this run (${count})`,
    disabledHeading: 'Disabled in this run',
    /** The email's own sentence (NO ACTION TAKEN: ...), one wording of each refusal. */
    disabledBlocked: (block: PlanBlock) => TEXT.en.remediation.blocked(block),
    disabledFailed: (count: number) => `${count} action(s) failed; see the audit trail.`,
    disabledNotRun: 'The disable step is not deployed (or did not run): nothing was disabled.',
    none: 'none',
    more: (count: number) => `… and ${count} more`,
    newlyStaleReason: {
      'crossed-threshold': 'crossed the threshold',
      'new-credential': 'new credential',
      'new-user': 'new user',
      reactivated: 'key made active again',
    } satisfies Record<NewlyStaleReason, string>,
    noLongerStaleReason: {
      'used-again': 'used again',
      reset: 'password set again',
      deactivated: 'key deactivated',
      'credential-removed': 'credential removed',
      'user-deleted': 'user deleted',
      'threshold-changed': 'threshold changed',
    } satisfies Record<NoLongerStaleReason, string>,
  },
  accounts: {
    heading: 'By account',
    users: 'Users',
    stale: 'Stale',
    activeWithStale: 'Active, holding a stale credential',
    errors: 'Not evaluated',
    status: { complete: 'complete', partial: 'partial', failed: 'failed' } satisfies Record<
      AccountScanStatus,
      string
    >,
  },
  table: {
    heading: 'Users and credentials',
    filter: 'Filter',
    filterPlaceholder: 'user, key id or account',
    status: 'User status',
    allStatuses: 'all',
    staleOnly: 'stale credentials only',
    account: 'Account',
    allAccounts: 'all',
    previous: 'Previous',
    next: 'Next',
    range: 'Rows {from}–{to} of {count} matching ({all} in all)',
    noRows: 'No row matches the filter.',
    noScript: 'The table needs JavaScript; the JSON and CSV reports beside this page hold the same data.',
  },
  columns: {
    account: 'Account',
    user: 'User',
    status: 'User status',
    credential: 'Credential',
    idleDays: 'Idle days',
    lastUsed: 'Last used',
    stale: 'Stale',
    note: 'Note',
    why: 'Why',
    outcome: 'Outcome',
    accountName: 'Name',
    scan: 'Scan',
  },
  statuses: {
    stale: 'stale',
    active: 'active',
    'no-credentials': 'no credentials',
    exempt: 'exempt',
    error: 'not evaluated',
  } satisfies Record<UserStatus, string>,
  credential: (c: CredentialRef) =>
    c.type === 'password'
      ? 'password'
      : `access key ${c.accessKeyId ?? (c.slot === null ? '' : `#${c.slot}`)}`.trimEnd(),
  inactive: 'inactive',
  never: 'never',
  yes: 'yes',
  no: 'no',
  footer: (generatedAt: string) =>
    `Generated by stale-iam at ${generatedAt}. This page loads nothing from the network.`,
  sources: 'Same data',
} as const;
