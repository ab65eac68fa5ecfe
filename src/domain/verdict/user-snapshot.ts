/**
 * What stale-iam knows about one IAM user, whichever source it came from (the IAM API, a credential
 * report fetched from AWS, or a credential report file). Plain data: no SDK types, no clock.
 */

export interface LoginProfileSnapshot {
  /** When the current console password was set (LoginProfile.CreateDate, or `password_last_changed`). */
  readonly createdAt: Date;
  /** Known from the API only; a credential report does not say. */
  readonly passwordResetRequired?: boolean;
}

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface AccessKeySnapshot {
  /** Null when the source does not name keys (a credential report only has slots 1 and 2). */
  readonly accessKeyId: string | null;
  readonly slot: 1 | 2;
  readonly status: AccessKeyStatus;
  /** Key creation (CreateDate, or `access_key_N_last_rotated`). */
  readonly createdAt: Date;
  /** Null when the key was never used (the API omits LastUsedDate; the report says `N/A`). */
  readonly lastUsedAt: Date | null;
}

export interface IamUserSnapshot {
  readonly userName: string;
  readonly arn: string;
  readonly createdAt: Date;
  /** Kept by IAM even after the login profile is deleted, so it alone does not prove a password exists. */
  readonly passwordLastUsedAt: Date | null;
  /** Null when the user has no console password. */
  readonly loginProfile: LoginProfileSnapshot | null;
  readonly accessKeys: readonly AccessKeySnapshot[];
}

/** A user the source listed but could not read completely (a denied call, say). */
export interface UnreadableUser {
  readonly userName: string;
  readonly arn: string;
  readonly createdAt: Date | null;
  readonly reason: string;
}

export type UserReading =
  | { readonly kind: 'read'; readonly user: IamUserSnapshot }
  | { readonly kind: 'unreadable'; readonly user: UnreadableUser };
