import type { ReportLocation } from '../../contracts/report-location';
import type { FindingsOutcome } from '../findings/sync';
import type { RemediationSummary } from '../remediation/summary';
import type { ReportSummary } from '../report/scan-report';
import type { AccountRef } from './accounts';

/**
 * What one account's scan came to. A failure is a value here, never a failed run: the organisation
 * report lists the account with its reason, the email says what to do, and every other account is
 * scanned as usual.
 */

/**
 * Why an account could not be scanned, each with its own advice in the email:
 * - `role-unavailable`: AssumeRole into the member role failed (the role is missing, or it does
 *   not trust this stack's scan role);
 * - `access-denied`: the member role was assumed, but a read was denied (an old or edited role);
 * - `throttled`: IAM kept answering Throttling past the retries;
 * - `report-not-ready`: the account's credential report never became available;
 * - `timed-out`: the scan did not finish within the function's time limit;
 * - `no-result`: the map run returned nothing for the account (it stopped before reaching it);
 * - `report-unreadable`: the scan said it wrote a report, but it is missing or not valid;
 * - `failed`: anything else (the reason says what).
 */
export const ACCOUNT_FAILURE_KINDS = [
  'role-unavailable',
  'access-denied',
  'throttled',
  'report-not-ready',
  'timed-out',
  'no-result',
  'report-unreadable',
  'failed',
] as const;
export type AccountFailureKind = (typeof ACCOUNT_FAILURE_KINDS)[number];

export interface AccountFailure {
  readonly kind: AccountFailureKind;
  /** One line: the error as AWS or the step gave it. */
  readonly message: string;
}

/**
 * What importing an account's Security Hub findings came to (securityHub=true), in that account,
 * after its scan: the import's outcome (a partial scan imports nothing: `skipped`), or why it
 * failed. A failure here is the account's findings' only: its scan and the run go on.
 */
export type AccountFindings =
  FindingsOutcome | { readonly status: 'failed'; readonly error: string; readonly message: string };

export type AccountScanOutcome =
  | {
      /** `partial`: the report was written, but some users could not be evaluated. */
      readonly status: 'complete' | 'partial';
      readonly account: AccountRef;
      readonly report: ReportLocation;
      readonly summary: ReportSummary;
      /** Present when the deployment imports findings (securityHub=true). */
      readonly findings?: AccountFindings;
    }
  | {
      readonly status: 'failed';
      readonly account: AccountRef;
      readonly error: AccountFailure;
    };

export const ACCOUNT_STATUSES = ['complete', 'partial', 'failed'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** The longest reason kept: enough for any AWS error message, short enough for an email line. */
export const MAX_FAILURE_MESSAGE_LENGTH = 1000;

export function accountFailure(kind: AccountFailureKind, message: string): AccountFailure {
  const line = message.replace(/\s+/g, ' ').trim() || kind;
  return {
    kind,
    message:
      line.length > MAX_FAILURE_MESSAGE_LENGTH ? `${line.slice(0, MAX_FAILURE_MESSAGE_LENGTH - 3)}...` : line,
  };
}

/**
 * What one member's disable step came to: its remediation summary, or why it could not run there
 * (`role-unavailable`: the member remediation role is missing or does not trust this stack; the
 * step's own refusals and crashes: `failed`, `timed-out`, `no-result`). Nothing is done in IAM on
 * a failed account beyond what its audit trail records.
 */
export type MemberRemediationOutcome =
  | { readonly status: 'done'; readonly account: AccountRef; readonly remediation: RemediationSummary }
  | { readonly status: 'failed'; readonly account: AccountRef; readonly error: AccountFailure };

export function failedOutcome(account: AccountRef, failure: AccountFailure): AccountScanOutcome {
  return { status: 'failed', account: { accountId: account.accountId, name: account.name }, error: failure };
}
