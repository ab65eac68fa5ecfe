import { idleDaysSince, isStale } from './threshold';
import type { AccessKeySnapshot, IamUserSnapshot, UserReading } from './user-snapshot';

export { idleDaysSince, thresholdInstant } from './threshold';

export const CREDENTIAL_SCOPES = ['all', 'password', 'access-key'] as const;
export type CredentialScope = (typeof CREDENTIAL_SCOPES)[number];

export interface EvaluationSettings {
  readonly thresholdDays: number;
  /** The instant the verdicts are taken at. Always passed in: the domain never reads the clock. */
  readonly now: Date;
  readonly scope: CredentialScope;
}

/** `last-used`: the credential's last use; `created`: it was never used (since it was set), so its creation. */
export type ReferenceBasis = 'last-used' | 'created';

export interface CredentialVerdict {
  readonly type: 'password' | 'access-key';
  readonly accessKeyId?: string | null;
  readonly slot?: 1 | 2;
  /** Access keys only. Inactive keys are listed for the record but never count and are never stale. */
  readonly active?: boolean;
  /** Access keys only: creation, which identifies a key when the source does not give its id. */
  readonly createdAt?: Date;
  readonly lastUsedAt: Date | null;
  readonly referenceAt: Date;
  readonly basis: ReferenceBasis;
  readonly idleDays: number;
  readonly stale: boolean;
}

/** Every status a user can have, in the order a person reads them (most urgent first). */
export const USER_STATUSES = ['stale', 'active', 'no-credentials', 'exempt', 'error'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface UserVerdict {
  readonly userName: string;
  readonly arn: string;
  readonly createdAt: Date | null;
  readonly status: UserStatus;
  /** Latest reference instant among the credentials that count; null when none counts. */
  readonly lastActivityAt: Date | null;
  readonly idleDays: number | null;
  readonly credentials: readonly CredentialVerdict[];
  readonly error?: string;
  /** Why the user is exempt from remediation (status `exempt`). */
  readonly exemptReason?: string;
}

export function evaluateUsers(readings: Iterable<UserReading>, settings: EvaluationSettings): UserVerdict[] {
  const verdicts: UserVerdict[] = [];
  for (const reading of readings) {
    verdicts.push(
      reading.kind === 'read'
        ? evaluateUser(reading.user, settings)
        : {
            userName: reading.user.userName,
            arn: reading.user.arn,
            createdAt: reading.user.createdAt,
            status: 'error',
            lastActivityAt: null,
            idleDays: null,
            credentials: [],
            error: reading.user.reason,
          },
    );
  }
  return verdicts;
}

export function evaluateUser(user: IamUserSnapshot, settings: EvaluationSettings): UserVerdict {
  const credentials: CredentialVerdict[] = [];
  if (settings.scope !== 'access-key') {
    const password = evaluatePassword(user, settings);
    if (password) credentials.push(password);
  }
  if (settings.scope !== 'password') {
    for (const key of [...user.accessKeys].sort((a, b) => a.slot - b.slot)) {
      credentials.push(evaluateAccessKey(key, settings));
    }
  }

  const counted = credentials.filter(countsTowardStatus);
  const base = { userName: user.userName, arn: user.arn, createdAt: user.createdAt, credentials };
  if (counted.length === 0) {
    return { ...base, status: 'no-credentials', lastActivityAt: null, idleDays: null };
  }
  const lastActivityAt = new Date(Math.max(...counted.map((c) => c.referenceAt.getTime())));
  return {
    ...base,
    status: counted.every((c) => c.stale) ? 'stale' : 'active',
    lastActivityAt,
    idleDays: idleDaysSince(lastActivityAt, settings.now),
  };
}

/** Passwords and active keys count; an inactive key cannot sign anything, so it neither keeps a user active nor makes one stale. */
export function countsTowardStatus(credential: CredentialVerdict): boolean {
  return credential.type === 'password' || credential.active === true;
}

function evaluatePassword(user: IamUserSnapshot, settings: EvaluationSettings): CredentialVerdict | null {
  // PasswordLastUsed outlives a deleted login profile: without a profile there is no password to judge.
  if (!user.loginProfile) return null;
  const setAt = user.loginProfile.createdAt;
  const lastUsedAt = user.passwordLastUsedAt;
  // A password set after its last use (reset, or profile re-created) is as fresh as the moment it was set.
  const usedSinceSet = lastUsedAt !== null && lastUsedAt.getTime() >= setAt.getTime();
  const referenceAt = usedSinceSet ? lastUsedAt : setAt;
  return {
    type: 'password',
    lastUsedAt,
    referenceAt,
    basis: usedSinceSet ? 'last-used' : 'created',
    idleDays: idleDaysSince(referenceAt, settings.now),
    stale: isStale(referenceAt, settings),
  };
}

function evaluateAccessKey(key: AccessKeySnapshot, settings: EvaluationSettings): CredentialVerdict {
  const active = key.status === 'Active';
  const referenceAt = key.lastUsedAt ?? key.createdAt;
  return {
    type: 'access-key',
    accessKeyId: key.accessKeyId,
    slot: key.slot,
    active,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    referenceAt,
    basis: key.lastUsedAt ? 'last-used' : 'created',
    idleDays: idleDaysSince(referenceAt, settings.now),
    stale: active && isStale(referenceAt, settings),
  };
}
