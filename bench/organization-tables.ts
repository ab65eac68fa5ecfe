import { markdownTable } from './markdown-table';
import type { OrganizationCaseOutcome } from './organization-case';
import type { TargetCheck } from './targets';
import { count, mib, seconds } from './units';

/** What the issue budgets for an organisation run on the credential-report source. */
export const ORGANIZATION_BUDGET = {
  assumeRolePerAccount: 1,
  iamCallsPerAccount: 5,
  listAccountsPageSize: 20,
  rollupRssMib: 512,
} as const;

function spread(values: readonly number[]): string {
  if (values.length === 0) return 'none';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? count(min) : `${count(min)} to ${count(max)}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** A perfect schedule: all the accounts' work spread over the concurrency, but never shorter than the longest account. */
export function idealMapMs(o: OrganizationCaseOutcome): number {
  const total = o.accountMs.reduce((a, b) => a + b, 0);
  return Math.max(total / o.concurrency, ...o.accountMs);
}

export function organizationTable(o: OrganizationCaseOutcome): string {
  const mean = o.accountMs.reduce((a, b) => a + b, 0) / Math.max(1, o.accountMs.length);
  const ideal = idealMapMs(o);
  return markdownTable(
    ['measure', 'value'],
    [
      ['accounts (management account included)', count(o.accounts)],
      [
        'IAM users in all',
        `${count(o.users)} (${o.largeAccounts.map(count).join(' + ')} in the two largest accounts)`,
      ],
      ['accounts scanned at once (accountConcurrency)', count(o.concurrency)],
      ['latency added to every call', `${o.latencyMs} ms`],
      ['seeding the emulator (not part of the run)', seconds(o.seedMs)],
      ['whole run: Discover to the email', seconds(o.runMs)],
      ['the map (ScanAccounts)', seconds(o.mapMs)],
      [
        'one account (scanMember): median / mean / longest',
        `${seconds(median(o.accountMs))} / ${seconds(mean)} / ${seconds(Math.max(...o.accountMs))}`,
      ],
      ['accounts / concurrency x mean account time', seconds((o.accounts / o.concurrency) * mean)],
      ['ideal map time: max(sum of account times / concurrency, longest account)', seconds(ideal)],
      ['map time / ideal', `${(o.mapMs / ideal).toFixed(2)}x`],
      [`roll-up (streams ${count(o.accounts)} reports into one)`, seconds(o.rollupMs)],
      ['roll-up peak RSS', mib(o.rollupMaxRssKib)],
      ['scanMember peak RSS (largest account)', mib(o.scanMemberMaxRssKib)],
      [
        'accounts complete / partial / failed',
        `${o.statuses.complete ?? 0} / ${o.statuses.partial ?? 0} / ${o.statuses.failed ?? 0}`,
      ],
    ],
    [1],
  );
}

export function organizationCallsTable(o: OrganizationCaseOutcome): string {
  return markdownTable(
    ['call', 'measured', 'budget'],
    [
      [
        'AssumeRole per account',
        spread(o.assumeRolePerAccount),
        String(ORGANIZATION_BUDGET.assumeRolePerAccount),
      ],
      [
        'IAM calls per account',
        spread(o.iamCallsPerAccount),
        `at most ${ORGANIZATION_BUDGET.iamCallsPerAccount}`,
      ],
      [
        'ListAccounts',
        count(o.listAccountsCalls),
        `ceil(${o.accounts} / 20) = ${Math.ceil(o.accounts / ORGANIZATION_BUDGET.listAccountsPageSize)}`,
      ],
    ],
    [1],
  );
}

export function organizationTargets(o: OrganizationCaseOutcome | null): TargetCheck[] {
  if (!o) {
    return [{ met: null, target: 'organisation run on the emulator', measured: 'not run (no emulator)' }];
  }
  const pages = Math.ceil(o.accounts / ORGANIZATION_BUDGET.listAccountsPageSize);
  return [
    {
      target: `organisation: every one of ${count(o.accounts)} accounts scanned completely`,
      met: o.failure === null && o.statuses.complete === o.accounts,
      measured: o.failure ?? `${o.statuses.complete ?? 0} complete`,
    },
    {
      target: `organisation: 1 AssumeRole and at most ${ORGANIZATION_BUDGET.iamCallsPerAccount} IAM calls per account, ${pages} ListAccounts`,
      met:
        o.assumeRolePerAccount.length === o.accounts &&
        o.assumeRolePerAccount.every((n) => n === ORGANIZATION_BUDGET.assumeRolePerAccount) &&
        o.iamCallsPerAccount.every((n) => n <= ORGANIZATION_BUDGET.iamCallsPerAccount) &&
        o.listAccountsCalls === pages,
      measured: `AssumeRole ${spread(o.assumeRolePerAccount)}, IAM ${spread(o.iamCallsPerAccount)}, ListAccounts ${o.listAccountsCalls}`,
    },
    {
      target: `organisation: roll-up peak RSS under ${ORGANIZATION_BUDGET.rollupRssMib} MiB`,
      met: o.rollupMaxRssKib / 1024 < ORGANIZATION_BUDGET.rollupRssMib,
      measured: mib(o.rollupMaxRssKib),
    },
  ];
}
