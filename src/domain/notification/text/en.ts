import { EXEMPT_TAG_KEY, SETTINGS } from '../../../settings/table';
import type { PlanBlock } from '../../remediation/plan';
import type { ExemptionCause } from '../../verdict/exemptions';
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
  password: 'password',
  key: (idOrSlot) => `access key ${idOrSlot ?? ''}`.trimEnd(),
  never: 'never used',
  days: (n) => `${n}d`,
  remediation: {
    enforceHeading: 'Remediation (enforce): stale credentials were disabled as listed below.',
    dryRunHeading: 'Remediation (dry-run): nothing was changed; this is what an enforcing run would do.',
    blocked: (block) => {
      switch (block.code) {
        case 'scan-errors':
          return `NO ACTION TAKEN: ${block.errors} of ${block.users} users could not be evaluated by the scan.`;
        case 'below-floor':
          return (
            `NO ACTION TAKEN: the threshold of ${block.thresholdDays} days is under the floor of ` +
            `${block.minEnforceDays} days (${SETTINGS.minEnforceDays.param}).`
          );
        case 'cap-actions':
          return (
            `NO ACTION TAKEN: ${block.planned} actions planned, more than the cap of ${block.maxActions} ` +
            `per run (${SETTINGS.maxActionsPerRun.param}).`
          );
        case 'cap-share':
          return (
            `NO ACTION TAKEN: ${block.affected} of the ${block.holders} users holding ` +
            `${block.credential === 'password' ? 'console passwords' : 'active access keys'} would lose them; ` +
            `at most ${block.allowed} may in one run (${SETTINGS.maxPercent.param} ${block.maxPercent}%).`
          );
      }
    },
    belowFloor: (days, floor) =>
      `An enforcing run would act on nothing: the threshold of ${days} days is under the floor of ${floor} days (${SETTINGS.minEnforceDays.param}).`,
    outcomes: 'Credentials by outcome',
    outcome: {
      deleted: 'deleted',
      deactivated: 'deactivated',
      'would-delete': 'would delete',
      'would-deactivate': 'would deactivate',
      'already-gone': 'already gone',
      exempt: 'exempt',
      'skipped-used-since': 'used since the scan',
      'skipped-cap': 'held back by a cap',
      'skipped-scan-error': 'held back by scan errors',
      'skipped-floor': 'held back by the floor',
      'not-reached': 'not reached',
      'outcome-unknown': 'OUTCOME UNKNOWN',
      failed: 'FAILED',
    },
    nothing: 'nothing to do',
    audit: 'Audit trail (with undo commands)',
    itemsHeading: 'Credentials:',
    columns: { user: 'USER', credential: 'CREDENTIAL', outcome: 'OUTCOME', reason: 'REASON' },
    reason: (reason) => {
      switch (reason.code) {
        case 'exempt-in-report':
          return 'exempt in the scan report';
        case 'exempt-now':
          return exemptNow(reason.cause);
        case 'user-gone':
          return 'user deleted since the scan';
        case 'login-profile-gone':
          return 'console password removed since the scan';
        case 'key-gone':
          return 'access key deleted since the scan';
        case 'key-not-active':
          return `access key already ${reason.status}`;
        case 'gone-on-write':
          return 'removed by someone else just before';
        case 'used-since':
          return `${reason.basis === 'created' ? 'set' : 'used'} at ${reason.at}, after the scan`;
        case 'ambiguous-key':
          return 'two access keys created in the same second: not guessing which';
        case 'aws-error':
          return reason.error;
        case 'blocked':
          return blockedShort(reason.block);
        case 'not-reached':
          return 'the run reached its time limit first; the next run goes on';
        case 'audit-unavailable':
          return `the audit trail could not be written: ${reason.error}`;
        case 'outcome-unknown':
          return `run ${reason.runId} stopped after its intent at ${reason.intendedAt}: check CloudTrail`;
      }
    },
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
    nextBelowFloor: `no action while the threshold is under ${SETTINGS.minEnforceDays.param}: raise the threshold-days SSM parameter, or lower the ${SETTINGS.minEnforceDays.param} deploy parameter.`,
    nextEnforce:
      'credentials that have become stale by then are disabled, within the caps, after a live re-check.',
    nextDryRun: 'still a dry run. Set the remediation-mode SSM parameter to enforce to act.',
  },
};

/** Why a user turned out exempt at the live re-check. */
function exemptNow(cause: ExemptionCause): string {
  switch (cause.kind) {
    case 'tag':
      return `tagged ${EXEMPT_TAG_KEY}=true since the scan`;
    case 'user-name':
      return 'user name on the exempt list';
    case 'path':
      return `under exempt path ${cause.prefix}`;
    case 'group':
      return `in exempt group ${cause.group}`;
  }
}

/** The reason given on each credential a refused plan held back. */
function blockedShort(block: PlanBlock): string {
  switch (block.code) {
    case 'scan-errors':
      return 'the scan had errors';
    case 'below-floor':
      return `threshold under ${block.minEnforceDays} days`;
    case 'cap-actions':
      return `over the cap of ${block.maxActions} actions`;
    case 'cap-share':
      return `over the cap for ${block.credential === 'password' ? 'console passwords' : 'access keys'}`;
  }
}
