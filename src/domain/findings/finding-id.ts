import type { CredentialEntry } from '../report/scan-report';

/**
 * The id of a finding: one per credential, never per user, and the same on every run for as long
 * as the credential exists, so each import updates the same finding and two stale keys of one user
 * are two findings that never overwrite each other.
 *
 *   stale-iam/<account>/<user name>/password
 *   stale-iam/<account>/<user name>/access-key/<access key id>           (IAM API source)
 *   stale-iam/<account>/<user name>/access-key/created-<instant>         (credential report source)
 *   stale-iam/<account>/<user name>/access-key/created-<instant>-slot<N> (two keys created in the same second)
 *
 * A credential report names no key, only slots 1 and 2, and a key can move from slot 2 to slot 1
 * when the first is deleted. Its creation instant does not move, so it is the key's identity; the
 * slot is added only when both keys of a user were created in the same second (automation), and
 * then deleting one of them changes the other's id once (its old finding is resolved, a new one
 * opened). Switching a deployment between the two sources changes every key finding's id once in
 * the same way. User names cannot contain `/`, so the id reads back unambiguously.
 */

export const FINDING_ID_PREFIX = 'stale-iam';

export type CredentialKind = CredentialEntry['type'];

export interface FindingIdParts {
  readonly accountId: string;
  readonly userName: string;
  readonly credential: CredentialKind;
}

/** The id of `credential`, one of `userCredentials` (the user's credentials, for the same-second case). */
export function findingId(
  accountId: string,
  userName: string,
  credential: CredentialEntry,
  userCredentials: readonly CredentialEntry[],
): string {
  return `${FINDING_ID_PREFIX}/${accountId}/${userName}/${credentialPart(credential, userCredentials)}`;
}

function credentialPart(credential: CredentialEntry, userCredentials: readonly CredentialEntry[]): string {
  if (credential.type === 'password') return 'password';
  if (credential.accessKeyId) return `access-key/${credential.accessKeyId}`;
  const slot = `slot${credential.slot ?? 0}`;
  const created = credential.createdAt;
  // Never the last use: it changes with every use. Our scans always record creation.
  if (!created) return `access-key/${slot}`;
  const second = Math.floor(created.getTime() / 1000);
  const sameSecond = userCredentials.some(
    (other) =>
      other !== credential &&
      other.type === 'access-key' &&
      !other.accessKeyId &&
      other.createdAt !== undefined &&
      Math.floor(other.createdAt.getTime() / 1000) === second,
  );
  const instant = new Date(second * 1000).toISOString().replace(/\.000Z$/, 'Z');
  return `access-key/created-${instant}${sameSecond ? `-${slot}` : ''}`;
}

const ID_SHAPE = new RegExp(
  `^${FINDING_ID_PREFIX}/(\\d{12})/([\\w+=,.@-]{1,64})/(password|access-key/[^/]+)$`,
);

/** What an id says, or null when it is not one of ours. */
export function parseFindingId(id: string): FindingIdParts | null {
  const match = ID_SHAPE.exec(id);
  if (!match) return null;
  const [, accountId = '', userName = '', credential = ''] = match;
  return { accountId, userName, credential: credential === 'password' ? 'password' : 'access-key' };
}
