import type { ExemptionCause } from '../verdict/exemptions';
import type { PlanBlock } from './plan';

/**
 * Why a credential got the outcome it got, as data: a code and its values. The email words it in
 * the reader's language (notification/text); the audit trail stores it as it is, with its English
 * wording beside it for people reading S3.
 */
export type RecordReason =
  /** The report lists the user as exempt: never read, never touched. */
  | { readonly code: 'exempt-in-report' }
  /** Exempt at the live re-check (tagged, moved or added to a group since the scan). */
  | { readonly code: 'exempt-now'; readonly cause: ExemptionCause }
  | { readonly code: 'user-gone' }
  | { readonly code: 'login-profile-gone' }
  | { readonly code: 'key-gone' }
  /** The key is no longer Active (`Inactive`, or whatever else IAM answered). */
  | { readonly code: 'key-not-active'; readonly status: string }
  /** IAM answered NoSuchEntity to the write itself: removed by someone else in between. */
  | { readonly code: 'gone-on-write' }
  /** Used (or, for a password, set) after the scan: fresh again at the re-check. */
  | { readonly code: 'used-since'; readonly basis: 'last-used' | 'created'; readonly at: string }
  /**
   * The credential report says the password was set again (an administrator's reset) at `at`, later
   * than LoginProfile.CreateDate shows and recently enough that it is not idle.
   */
  | { readonly code: 'password-reset'; readonly at: string }
  /** The account's credential report could not be read, so no password is deleted in this run. */
  | { readonly code: 'credential-report-unavailable'; readonly error: string }
  /** The credential report does not list the user, so nothing says when their password was last set. */
  | { readonly code: 'not-in-credential-report' }
  /** Two keys of the user were created in the same second as the report's: refusing to guess. */
  | { readonly code: 'ambiguous-key' }
  /** An AWS call failed; the error as AWS wrote it, on one line. */
  | { readonly code: 'aws-error'; readonly error: string }
  /** The whole plan was refused; nothing was done to anyone. */
  | { readonly code: 'blocked'; readonly block: PlanBlock }
  /** The run ran out of time before it reached this credential. */
  | { readonly code: 'not-reached' }
  /** The audit trail could not be written, so nothing more was done. */
  | { readonly code: 'audit-unavailable'; readonly error: string }
  /** An earlier run recorded its intent and was cut off before its outcome: check CloudTrail. */
  | { readonly code: 'outcome-unknown'; readonly runId: string; readonly intendedAt: string };
