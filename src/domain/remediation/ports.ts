import type { UserDirectoryEntry } from '../verdict/exemptions';
import type { AccessKeySnapshot, LoginProfileSnapshot } from '../verdict/user-snapshot';

/**
 * The disable step's view of IAM, read again just before acting (the report may be hours old), in
 * the scan's own types, so the re-check is judged by the same rule (evaluateUser) as the scan.
 */

/** What exemptions are decided on, plus the password's last use (GetUser gives both). */
export interface LiveUser extends UserDirectoryEntry {
  readonly passwordLastUsedAt: Date | null;
}

export type LiveLoginProfile = LoginProfileSnapshot;

/** A key as ListAccessKeys and GetAccessKeyLastUsed give it: always with its id, its raw status. */
export interface LiveAccessKey extends Pick<AccessKeySnapshot, 'createdAt' | 'lastUsedAt'> {
  readonly accessKeyId: string;
  /** `Active`, `Inactive`, or whatever else IAM answers: only `Active` can still be used. */
  readonly status: string;
}

/**
 * When each user's console password was last set, as the account's credential report says
 * (`password_last_changed`). It is the one record IAM keeps of a password reset: an administrator's
 * UpdateLoginProfile leaves LoginProfile.CreateDate (the profile's creation) as it was.
 */
export interface PasswordsLastSet {
  /** The report's GeneratedTime (a reset after it is not in it); null when AWS did not say. */
  readonly generatedAt: Date | null;
  /** Every user of the report; `lastSetAt` null where the report has no date (`N/A`: no password then). */
  readonly users: readonly { readonly userName: string; readonly lastSetAt: Date | null }[];
}

/** The port to IAM for the disable step: reads for the re-check, and the two writes. */
export interface LiveIam {
  readUser(userName: string, withGroups: boolean): Promise<LiveUser | null>;
  readLoginProfile(userName: string): Promise<LiveLoginProfile | null>;
  /**
   * The account's credential report, generated if need be (the wait is given up once `shouldStop`
   * answers true). Throws when it cannot be read whole.
   */
  readPasswordsLastSet(options: { readonly shouldStop?: () => boolean }): Promise<PasswordsLastSet>;
  readAccessKeys(userName: string): Promise<LiveAccessKey[]>;
  /** `already-gone` when IAM answers NoSuchEntity. */
  deleteLoginProfile(userName: string): Promise<'deleted' | 'already-gone'>;
  deactivateAccessKey(userName: string, accessKeyId: string): Promise<'deactivated' | 'already-gone'>;
}

/** How many IAM users the account holds now (GetAccountSummary): what a padded report is checked against. */
export interface AccountCensus {
  countUsers(): Promise<number>;
}
