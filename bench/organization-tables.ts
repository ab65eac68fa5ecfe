import { markdownTable } from './markdown-table';
import type { CliCaseOutcome, CliRunMeasurement } from './organization-cli-case';
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

/** What the issue budgets for the CLI's organisation mode: the same calls, and its memory. */
export const ORGANIZATION_CLI_BUDGET = { rssMib: 512 } as const;

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

/** A perfect schedule of the accounts' own times over the concurrency, never shorter than the longest. */
export function idealCliMs(run: CliRunMeasurement, concurrency: number): number {
  return Math.max(run.accountMs.reduce((a, b) => a + b, 0) / concurrency, ...run.accountMs);
}

export function organizationCliTable(o: CliCaseOutcome): string {
  const rows: string[][] = [
    ['accounts (management account included)', count(o.accounts)],
    [
      'IAM users in all',
      `${count(o.users)} (${o.largeAccounts.map(count).join(' + ')} in the two largest accounts)`,
    ],
    ['accounts scanned at once (--account-concurrency)', count(o.concurrency)],
    ['latency added to every call', `${o.latencyMs} ms`],
    ['seeding the emulator (not part of the run)', seconds(o.seedMs)],
  ];
  for (const run of o.runs) {
    const f = `--format ${run.format}`;
    const ideal = idealCliMs(run, o.concurrency);
    rows.push(
      [`${f}: whole run (process start to exit)`, seconds(run.wallMs)],
      [`${f}: scanning (first AssumeRole to the last member call)`, seconds(run.scanMs)],
      [
        `${f}: one account: median / mean / longest`,
        `${seconds(median(run.accountMs))} / ${seconds(mean(run.accountMs))} / ${seconds(Math.max(...run.accountMs))}`,
      ],
      [
        `${f}: accounts / concurrency x mean account time`,
        seconds((o.accounts / o.concurrency) * mean(run.accountMs)),
      ],
      [`${f}: scanning / ideal (max(sum / concurrency, longest))`, `${(run.scanMs / ideal).toFixed(2)}x`],
      [`${f}: peak RSS of the CLI`, mib(run.maxRssKib)],
      [`${f}: output`, `${count(Math.round(run.outputBytes / 1024))} KiB, exit ${String(run.exitCode)}`],
    );
  }
  rows.push([
    'json: accounts complete / users listed (checked by the contract)',
    `${o.complete} / ${count(o.usersListed)}`,
  ]);
  return markdownTable(['measure', 'value'], rows, [1]);
}

export function organizationCliCallsTable(o: CliCaseOutcome): string {
  const pages = Math.ceil(o.accounts / ORGANIZATION_BUDGET.listAccountsPageSize);
  return markdownTable(
    ['call', ...o.runs.map((r) => `--format ${r.format}`), 'budget'],
    [
      [
        'AssumeRole per account',
        ...o.runs.map((r) => spread(r.assumeRolePerAccount)),
        String(ORGANIZATION_BUDGET.assumeRolePerAccount),
      ],
      [
        'IAM calls per account',
        ...o.runs.map((r) => spread(r.iamCallsPerAccount)),
        `at most ${ORGANIZATION_BUDGET.iamCallsPerAccount}`,
      ],
      [
        'ListAccounts',
        ...o.runs.map((r) => count(r.listAccountsCalls)),
        `ceil(${o.accounts} / 20) = ${pages}`,
      ],
      [
        'other calls',
        ...o.runs.map(
          (r) =>
            Object.entries(r.otherCalls)
              .map(([action, n]) => `${action} ${n}`)
              .join(', ') || 'none',
        ),
        'GetCallerIdentity 1 (the partition of the member roles)',
      ],
    ],
    [1, 2],
  );
}

export function organizationCliTargets(o: CliCaseOutcome | null): TargetCheck[] {
  if (!o)
    return [
      { met: null, target: 'CLI organisation mode on the emulator', measured: 'not run (no emulator)' },
    ];
  const pages = Math.ceil(o.accounts / ORGANIZATION_BUDGET.listAccountsPageSize);
  return [
    {
      target: `CLI --organization: every one of ${count(o.accounts)} accounts scanned completely, the JSON accepted by the contract`,
      met: o.failure === null,
      measured: o.failure ?? `${o.complete} complete, ${count(o.usersListed)} users`,
    },
    ...o.runs.map((run) => ({
      target: `CLI --organization --format ${run.format}: 1 AssumeRole and at most ${ORGANIZATION_BUDGET.iamCallsPerAccount} IAM calls per account, ${pages} ListAccounts`,
      met:
        run.assumeRolePerAccount.length === o.accounts &&
        run.assumeRolePerAccount.every((n) => n === ORGANIZATION_BUDGET.assumeRolePerAccount) &&
        run.iamCallsPerAccount.every((n) => n <= ORGANIZATION_BUDGET.iamCallsPerAccount) &&
        run.listAccountsCalls === pages,
      measured: `AssumeRole ${spread(run.assumeRolePerAccount)}, IAM ${spread(run.iamCallsPerAccount)}, ListAccounts ${run.listAccountsCalls}`,
    })),
    ...o.runs.map((run) => ({
      target: `CLI --organization --format ${run.format}: peak RSS under ${ORGANIZATION_CLI_BUDGET.rssMib} MiB`,
      met: run.maxRssKib / 1024 < ORGANIZATION_CLI_BUDGET.rssMib,
      measured: mib(run.maxRssKib),
    })),
  ];
}
