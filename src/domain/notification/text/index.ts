/**
 * The words of the operators' email, per language: `en.ts` and `ja.ts` hold every one of them.
 * Subjects stay ASCII: SNS refuses anything else there.
 */
import type { AccountFailureKind } from '../../organization/account-outcome';
import type { SkipReason } from '../../organization/accounts';
import type { ActionOutcome, PlanBlock } from '../../remediation/plan';
import type { RecordReason } from '../../remediation/reasons';
import { NOTIFY_LANGUAGES } from '../../../settings/table';
import { en } from './en';
import { ja } from './ja';

export { NOTIFY_LANGUAGES };
export type NotifyLanguage = (typeof NOTIFY_LANGUAGES)[number];

export interface NotificationText {
  title(accountId: string): string;
  /** Labels of the lines under the title, each followed by `: value`. */
  evaluatedAt: string;
  thresholdLabel: string;
  /** The rule, as the value of the threshold line: strictly more than N days. */
  threshold(days: number): string;
  scope: string;
  source: string;
  /** After the source, when the verdicts come from a credential report AWS generated at `at`. */
  reportGeneratedAt(at: string): string;
  summary(s: {
    users: number;
    stale: number;
    active: number;
    activeWithStale: number;
    noCredentials: number;
    exempt: number;
    errors: number;
  }): string;
  staleHeading(days: number, count: number): string;
  noneStale(days: number): string;
  activeWithStaleHeading(days: number, count: number): string;
  errorsHeading(count: number): string;
  /** The line under the title when some users could not be evaluated. */
  partialScan(errors: number, users: number): string;
  deletedHeading(count: number): string;
  columns: { user: string; idleDays: string; credentials: string; lastActivity: string };
  /** The last line of a list cut to fit the message: `count` lines left out. */
  more(count: number): string;
  /** The same for a list of users, saying that it counts users. */
  moreUsers(count: number): string;
  fullReport: string;
  /** The link to the HTML report (S3 console page of the object; it needs a console sign-in). */
  visualReport: string;
  /** The render step failed this run. */
  visualReportMissing: string;
  password: string;
  /** An access key, by its id or, when the source did not name it, its slot (1 or 2). */
  key(idOrSlot: string | number | undefined): string;
  never: string;
  days(n: number): string;
  /** The sections the disable step adds. */
  remediation: RemediationText;
  /** The section the findings step adds (deploy parameter securityHub). */
  securityHub: SecurityHubText;
  /** The organisation email (organization-message.ts); it reuses the single-account words above where they fit. */
  organization: OrganizationText;
}

export interface SecurityHubText {
  heading: string;
  imported(counts: { created: number; updated: number; resolved: number; failed: number }): string;
  refused(id: string, code: string, message: string): string;
  unreadable(count: number): string;
  skippedPartial: string;
  failed(error: string, message: string): string;
  product(arn: string): string;
}

/** Words of the one email of an organisation run. */
export interface OrganizationText {
  title(accounts: number): string;
  /** The line under the title when an account failed or was scanned partially. */
  partialRun(failed: number, partial: number, accounts: number): string;
  accounts(c: {
    scanned: number;
    complete: number;
    partial: number;
    failed: number;
    skipped: number;
  }): string;
  noAccounts: string;
  failedHeading(count: number): string;
  /** What to do about a failed account, by why it failed. */
  advice: Record<AccountFailureKind, (c: { account: string; role: string }) => string>;
  reason(message: string): string;
  partialHeading(count: number): string;
  partialAccount(errors: number, users: number): string;
  staleHeading(days: number, count: number): string;
  noneStale(days: number): string;
  columns: { account: string; name: string; stale: string; activeWithStale: string; users: string };
  moreAccounts(count: number): string;
  skippedHeading(count: number): string;
  skipped: Record<SkipReason, (state: string | null) => string>;
  accountReports: string;
  /** The section the member accounts' findings add (securityHub=true): one line per account. */
  findingsHeading(accounts: number): string;
  /** The sections remediation adds (remediation=true), by account. */
  remediation: OrganizationRemediationText;
}

/** Words of an organisation run's remediation, by account. */
export interface OrganizationRemediationText {
  /** The heading when no plan was made (the plan step failed). */
  heading: string;
  /** The label of the line naming the run's plan in S3. */
  plan: string;
  /** The plan step failed: no account acted. */
  notPlanned(error: string, message: string): string;
  /** The remediation map failed: accounts may have acted. */
  notCompleted(error: string, message: string): string;
  byAccountHeading(count: number): string;
  /** The line of an account that ran: its counts and where its audit trail is. */
  done(counts: string, audit: string): string;
  nothingToDo: string;
  notScanned(status: 'partial' | 'failed'): string;
  refused(reason: string): string;
  roleUnavailable(c: { account: string; role: string }): string;
  timedOut: string;
  noResult: string;
  failed(message: string): string;
}

/** The words of the sections the disable step adds (every reason and refusal is data until here). */
export interface RemediationText {
  enforceHeading: string;
  dryRunHeading: string;
  /** The line saying that nothing was done this run, and why. */
  blocked(block: PlanBlock): string;
  /** A dry run under the floor: an enforcing run would act on nothing. */
  belowFloor(thresholdDays: number, minEnforceDays: number): string;
  /** Labels the counts: they count credentials, not users. */
  outcomes: string;
  outcome: Record<ActionOutcome, string>;
  nothing: string;
  audit: string;
  itemsHeading: string;
  columns: { user: string; credential: string; outcome: string; reason: string };
  /** One plain reason for one credential's outcome. */
  reason(reason: RecordReason): string;
  omitted(n: number): string;
  warningHeading(days: number, dryRun: boolean): string;
  willLosePassword(user: string, date: string): string;
  willLoseKey(user: string, slot: number | null, date: string): string;
  noWarnings: string;
  nextRunHeading: string;
  nextBlockedByCap: string;
  /** Organisation mode: the organisation's cap refused the run, or a member's plan grew past its share. */
  nextBlockedByOrganizationCap: string;
  nextAfterScanErrors: string;
  nextBelowFloor: string;
  nextEnforce: string;
  nextDryRun: string;
}

export const TEXT: Record<NotifyLanguage, NotificationText> = { en, ja };
