import type { ReportLocation } from '../../contracts/report-location';
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

export type AccountScanOutcome =
  | {
      /** `partial`: the report was written, but some users could not be evaluated. */
      readonly status: 'complete' | 'partial';
      readonly account: AccountRef;
      readonly report: ReportLocation;
      readonly summary: ReportSummary;
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

export function failedOutcome(account: AccountRef, failure: AccountFailure): AccountScanOutcome {
  return { status: 'failed', account: { accountId: account.accountId, name: account.name }, error: failure };
}
