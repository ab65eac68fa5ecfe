import { InvalidInputError } from '../../lib/errors';
import { reportKeys } from '../report/object-keys';
import type { ScanReport } from '../report/scan-report';

/**
 * Whether the disable step may act on a report at all. The report was validated whole when it was
 * read (parseStoredReport: every field well-formed, summary consistent with the users); this is
 * what acting on it needs beyond that, each checked against something the disable step verified
 * itself rather than against the report: the account it runs in, the key it read, the clock, the
 * threshold read live from SSM, and (paddingDistrust) the number of users IAM says the account
 * has. Any failure refuses the whole run.
 */

/** The run's own scan, not a replay: a report evaluated longer ago than this is refused. */
export const MAX_REPORT_AGE_MS = 60 * 60_000;
/** Clocks disagree a little; a report from further in the future than this is refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface TrustAnchors {
  /**
   * The account the run acts in, as the caller verified it: the account the function runs in (from
   * its own ARN), the account a member session is in (from the session itself), or, when planning an
   * organisation, the account the organisation report lists the report under.
   */
  readonly accountId: string;
  /** Where `accountId` comes from (default `function`): it is named when a report is refused. */
  readonly accountOrigin?: AccountOrigin;
  /** The key the report was read from. */
  readonly key: string;
  readonly now: Date;
  /** The threshold in SSM, read just now. */
  readonly thresholdDays: number;
}

export type AccountOrigin = 'function' | 'member-session' | 'organization-report';

/** Why a report is refused, as data. */
export type Distrust =
  | {
      readonly code: 'other-account';
      readonly reportAccount: string | null;
      readonly accountId: string;
      readonly origin: AccountOrigin;
    }
  | { readonly code: 'key-mismatch'; readonly key: string; readonly expected: string }
  | { readonly code: 'too-old'; readonly evaluatedAt: string; readonly ageMinutes: number }
  | { readonly code: 'from-the-future'; readonly field: 'evaluatedAt' | 'generatedAt'; readonly at: string }
  | { readonly code: 'threshold-mismatch'; readonly report: number; readonly live: number }
  | { readonly code: 'foreign-user'; readonly userName: string; readonly arn: string }
  | { readonly code: 'more-users-than-account'; readonly listed: number; readonly exist: number };

/** The first reason not to act on `report`, or null when every check holds. */
export function distrustOf(report: ScanReport, anchors: TrustAnchors): Distrust | null {
  if (report.accountId !== anchors.accountId) {
    return {
      code: 'other-account',
      reportAccount: report.accountId,
      accountId: anchors.accountId,
      origin: anchors.accountOrigin ?? 'function',
    };
  }
  const expected = reportKeys(report).key;
  if (anchors.key !== expected) return { code: 'key-mismatch', key: anchors.key, expected };
  const now = anchors.now.getTime();
  for (const field of ['evaluatedAt', 'generatedAt'] as const) {
    if (report[field].getTime() - now > MAX_CLOCK_SKEW_MS) {
      return { code: 'from-the-future', field, at: report[field].toISOString() };
    }
  }
  const age = now - report.evaluatedAt.getTime();
  if (age > MAX_REPORT_AGE_MS) {
    return {
      code: 'too-old',
      evaluatedAt: report.evaluatedAt.toISOString(),
      ageMinutes: Math.floor(age / 60_000),
    };
  }
  if (report.thresholdDays !== anchors.thresholdDays) {
    return { code: 'threshold-mismatch', report: report.thresholdDays, live: anchors.thresholdDays };
  }
  for (const user of report.users) {
    if (!isUserArnOf(user.arn, user.userName, anchors.accountId)) {
      return { code: 'foreign-user', userName: user.userName, arn: user.arn };
    }
  }
  return null;
}

/**
 * A report padded with users the account does not have (to dilute the share cap) lists more users
 * than IAM counts. Checked before acting on a plan (a refused or empty plan acts on nothing anyway).
 * A user deleted in the minutes since the scan refuses the run too: fail closed.
 */
export function paddingDistrust(report: ScanReport, accountUsers: number): Distrust | null {
  return report.users.length > accountUsers
    ? { code: 'more-users-than-account', listed: report.users.length, exist: accountUsers }
    : null;
}

/** `arn:<partition>:iam::<account>:user/<path...>/<name>`, in this account, for this user. */
function isUserArnOf(arn: string, userName: string, accountId: string): boolean {
  const prefix = /^arn:aws[a-z-]*:iam::(\d{12}):user(\/.*)$/.exec(arn);
  if (!prefix || prefix[1] !== accountId) return false;
  const pathAndName = prefix[2] ?? '';
  return pathAndName.endsWith(`/${userName}`);
}

const ORIGIN_WORDS: Record<AccountOrigin, string> = {
  function: 'this function runs in account',
  'member-session': 'the member session acts in account',
  'organization-report': 'the organisation report lists it as the report of account',
};

/** The one line the failure alert carries: what was refused and why, and that nothing was done. */
export function refusal(distrust: Distrust, where: string): InvalidInputError {
  return new InvalidInputError(
    `disable refuses report ${where}: ${explainDistrust(distrust)}; no IAM change was made`,
  );
}

/** Why a report is refused, in one clause (the refusal and the organisation plan give it). */
export function explainDistrust(d: Distrust): string {
  switch (d.code) {
    case 'other-account':
      return `it is a report of account ${d.reportAccount ?? 'unknown'}, but ${ORIGIN_WORDS[d.origin]} ${d.accountId}`;
    case 'key-mismatch':
      return `its content belongs at ${d.expected}, not at ${d.key}`;
    case 'too-old':
      return `it was evaluated at ${d.evaluatedAt}, ${d.ageMinutes} minutes ago; only the run's own scan (under ${MAX_REPORT_AGE_MS / 60_000} minutes old) is acted on`;
    case 'from-the-future':
      return `its ${d.field} ${d.at} is in the future`;
    case 'threshold-mismatch':
      return `it was judged with a threshold of ${d.report} days, but the threshold in SSM is ${d.live} days now`;
    case 'foreign-user':
      return `user ${JSON.stringify(d.userName)} has the ARN ${JSON.stringify(d.arn)}, which is not a user of this account`;
    case 'more-users-than-account':
      return `it lists ${d.listed} users, but the account has ${d.exist} (padded, or users deleted since the scan)`;
  }
}
