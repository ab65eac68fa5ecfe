import { SETTINGS } from '../../../settings/table';
import type { NotificationText } from './index';

/** Every word of the operators' email in English. */
export const en: NotificationText = {
  title: (accountId) => `stale-iam report for AWS account ${accountId}`,
  evaluatedAt: 'Evaluated at',
  threshold: (days) => `${days} days`,
  scope: 'Credentials checked',
  source: 'Source',
  summary: (s) =>
    `${s.users} users: ${s.stale} stale, ${s.active} active (${s.activeWithStale} holding a stale credential), ` +
    `${s.noCredentials} without credentials, ${s.exempt} exempt, ${s.errors} could not be evaluated`,
  staleHeading: (days, count) => `IAM users idle for ${days}+ days (${count}):`,
  noneStale: (days) => `No IAM user has been idle for ${days}+ days.`,
  activeWithStaleHeading: (days, count) =>
    `Active users still holding a credential unused for ${days}+ days (${count}):`,
  errorsHeading: (count) => `Users that could not be evaluated (${count}):`,
  partialScan: (errors, users) =>
    `PARTIAL SCAN: ${errors} of ${users} users could not be evaluated (listed below), so this report is ` +
    'incomplete. Automatic remediation does not act on a partial scan.',
  deletedHeading: (count) => `Users deleted while the scan ran, so not judged (${count}):`,
  columns: {
    user: 'USER',
    idleDays: 'IDLE DAYS',
    credentials: 'CREDENTIALS',
    lastActivity: 'LAST ACTIVITY',
  },
  more: (count) => `... and ${count} more (see the full report)`,
  fullReport: 'Full report',
  visualReport: 'Visual report (charts, history; sign in to the AWS console, then Open)',
  visualReportMissing: "Visual report: not written this run (see the render function's logs)",
  password: 'password',
  key: (idOrSlot) => `access key ${idOrSlot ?? ''}`.trimEnd(),
  never: 'never used',
  days: (n) => `${n}d`,
  remediation: {
    enforceHeading: 'Remediation (enforce): stale credentials were disabled as listed below.',
    dryRunHeading: 'Remediation (dry-run): nothing was changed; this is what an enforcing run would do.',
    blocked: (detail) => `NO ACTION TAKEN: ${detail}.`,
    outcomes: 'Outcomes',
    nothing: 'nothing to do',
    audit: 'Audit trail (with undo commands)',
    itemsHeading: 'Credentials (user, credential, outcome, reason):',
    omitted: (n) => `... and ${n} more (see the audit trail)`,
    warningHeading: (days, dryRun) =>
      `Will lose access within ${days} days unless used${dryRun ? ' (once remediation-mode is enforce)' : ''}:`,
    willLosePassword: (user, date) => `${user} will lose console access on ${date} unless they sign in`,
    willLoseKey: (user, slot, date) =>
      `${user}: access key ${slot ?? ''} will be deactivated on ${date} unless used`,
    noWarnings: 'nobody',
    nextRunHeading: 'Next run:',
    nextBlockedByCap: `the plan is refused again while it exceeds the caps: review the list, then raise the ${SETTINGS.maxActionsPerRun.param} / ${SETTINGS.maxPercent.param} deploy parameters or remove users yourself.`,
    nextAfterScanErrors:
      'no action while the scan has users it cannot evaluate; fix the errors listed above.',
    nextEnforce:
      'credentials that have become stale by then are disabled, within the caps, after a live re-check.',
    nextDryRun: 'still a dry run. Set the remediation-mode SSM parameter to enforce to act.',
  },
  securityHub: {
    heading: 'Security Hub findings (one per stale credential):',
    imported: (c) =>
      `${c.created} new, ${c.updated} updated, ${c.resolved} resolved (archived as passed), ${c.failed} refused`,
    refused: (id, code, message) => `refused: ${id}: ${code}${message ? ` (${message})` : ''}`,
    unreadable: (count) =>
      `${count} finding(s) of stale-iam's product did not read as stale-iam's own and were not resolved`,
    skippedPartial:
      'nothing imported or resolved: the scan is partial, and it would resolve the findings of users it could not read.',
    failed: (error, message) =>
      `IMPORT FAILED (${error}): ${message}. Security Hub still shows the previous run's findings; this email and the report are complete.`,
    product: (arn) => `Product: ${arn}`,
  },
  organization: {
    title: (accounts) => `stale-iam report for the AWS organization (${accounts} accounts scanned)`,
    partialRun: (failed, partial, accounts) =>
      `INCOMPLETE: of ${accounts} accounts, ${failed} could not be scanned and ${partial} were scanned partially ` +
      '(listed below with what to do). The totals leave out what could not be read.',
    accounts: (c) =>
      `Accounts: ${c.scanned} scanned (${c.complete} complete, ${c.partial} partial, ${c.failed} failed), ${c.skipped} skipped`,
    noAccounts:
      'No account was scanned: check the includeOrganizationalUnits and excludeAccounts deploy parameters.',
    failedHeading: (count) => `Accounts that could not be scanned (${count}):`,
    advice: {
      'role-unavailable': ({ account, role }) =>
        `member role ${role} missing in ${account}, or it does not trust this stack's scan role: deploy the StackSet there (in the management account, deploy member-role/stale-iam-member-role.yml as a stack)`,
      'access-denied': ({ account, role }) =>
        `the member role ${role} in ${account} was refused a call the scan makes: update it from member-role/stale-iam-member-role.yml (its ScanSource must match ${SETTINGS.scanSource.param})`,
      throttled: ({ account }) =>
        `IAM in ${account} kept answering Throttling past the retries: the next run tries again; if it recurs, look for other tools calling IAM there`,
      'report-not-ready': ({ account }) =>
        `the credential report of ${account} never became available: the next run tries again; if it recurs, deploy with ${SETTINGS.scanSource.param}=api`,
      'timed-out': ({ account }) =>
        `the scan of ${account} did not finish within its time limit: the next run tries again; with ${SETTINGS.scanSource.param}=api, switch to credential-report`,
      'no-result': ({ account }) =>
        `${account} was not scanned (the map run stopped before it): see the execution in the Step Functions console`,
      'report-unreadable': ({ account }) =>
        `the report of ${account} could not be read back: the next run writes a new one; if it recurs, check who else writes to the bucket`,
      failed: ({ account }) =>
        `the scan of ${account} failed: see the reason and the scanMember function's logs`,
    },
    reason: (message) => `reason: ${message}`,
    partialHeading: (count) => `Accounts scanned partially (${count}):`,
    partialAccount: (errors, users) => `${errors} of ${users} users could not be evaluated (see its report)`,
    staleHeading: (days, count) => `Accounts with the most IAM users idle for ${days}+ days (${count}):`,
    noneStale: (days) => `No account has an IAM user idle for ${days}+ days.`,
    columns: {
      account: 'ACCOUNT',
      name: 'NAME',
      stale: 'STALE',
      activeWithStale: 'ACTIVE W/ STALE',
      users: 'USERS',
    },
    moreAccounts: (count) => `... and ${count} more accounts (see the full report)`,
    skippedHeading: (count) => `Accounts not scanned on purpose (${count}):`,
    skipped: {
      'not-active': (state) => `not active (${state ?? 'no state'})`,
      excluded: () => `excluded (${SETTINGS.excludeAccounts.param})`,
    },
    accountReports: "Each account's report",
  },
};
