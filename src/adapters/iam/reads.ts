import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  NoSuchEntityException,
  type AccessKeyMetadata,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { LoginProfileSnapshot } from '../../domain/verdict/user-snapshot';
import { AwsReadError } from '../../lib/errors';
import { toWholeSecond } from '../../lib/timestamps';

/**
 * The per-user IAM reads the scan (api source) and the disable step's re-check share, with the
 * API's conventions applied once: NoSuchEntity means "none", a never-used key has no LastUsedDate,
 * truncated lists are followed by Marker. An optional AbortSignal ends calls in flight (a run out
 * of time); the SDK then rejects them with an AbortError.
 */

/** The wire code is `NoSuchEntity`; the SDK surfaces it as NoSuchEntityException. */
export function isNoSuchEntity(error: unknown): boolean {
  return (
    error instanceof NoSuchEntityException ||
    (error instanceof Error && (error.name === 'NoSuchEntity' || error.name === 'NoSuchEntityException'))
  );
}

/** The user's console password, or null when GetLoginProfile answers NoSuchEntity (no password). */
export async function readLoginProfile(
  client: IAMClient,
  userName: string,
): Promise<LoginProfileSnapshot | null> {
  try {
    return await getLoginProfile(client, userName);
  } catch (error) {
    if (isNoSuchEntity(error)) return null;
    throw error;
  }
}

/**
 * Like readLoginProfile, but sure about the user too. GetLoginProfile answers NoSuchEntity both when
 * the user has no password ("Login Profile for User bob cannot be found.") and when the user itself
 * is gone ("The user with name bob cannot be found."). The first is taken at its word; any other
 * NoSuchEntity is checked with GetUser, so a user deleted since ListUsers is never reported as a
 * user without a password.
 */
export async function readLoginProfileOfListedUser(
  client: IAMClient,
  userName: string,
  signal?: AbortSignal,
): Promise<LoginProfileSnapshot | null | 'user-gone'> {
  try {
    return await getLoginProfile(client, userName, signal);
  } catch (error) {
    if (!isNoSuchEntity(error)) throw error;
    if (namesLoginProfile(error) || (await userExists(client, userName, signal))) return null;
    return 'user-gone';
  }
}

function namesLoginProfile(error: unknown): boolean {
  return error instanceof Error && /login ?profile/i.test(error.message);
}

async function getLoginProfile(
  client: IAMClient,
  userName: string,
  signal?: AbortSignal,
): Promise<LoginProfileSnapshot> {
  const { LoginProfile } = await client.send(new GetLoginProfileCommand({ UserName: userName }), {
    abortSignal: signal,
  });
  if (!LoginProfile?.CreateDate) throw new Error('GetLoginProfile returned no CreateDate');
  return {
    createdAt: toWholeSecond(LoginProfile.CreateDate),
    passwordResetRequired: LoginProfile.PasswordResetRequired ?? false,
  };
}

/** False when GetUser answers NoSuchEntity: the user was deleted. */
async function userExists(client: IAMClient, userName: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.send(new GetUserCommand({ UserName: userName }), { abortSignal: signal });
    return true;
  } catch (error) {
    if (isNoSuchEntity(error)) return false;
    throw error;
  }
}

export async function listAccessKeys(
  client: IAMClient,
  userName: string,
  signal?: AbortSignal,
): Promise<AccessKeyMetadata[]> {
  return followMarkers('listing access keys', async (Marker) => {
    const page = await client.send(new ListAccessKeysCommand({ UserName: userName, Marker }), {
      abortSignal: signal,
    });
    return { items: page.AccessKeyMetadata ?? [], isTruncated: page.IsTruncated, marker: page.Marker };
  });
}

/** Null for a never-used key: the API then omits LastUsedDate (ServiceName and Region say "N/A"). */
export async function readKeyLastUsed(
  client: IAMClient,
  accessKeyId: string,
  signal?: AbortSignal,
): Promise<Date | null> {
  const { AccessKeyLastUsed } = await client.send(
    new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }),
    { abortSignal: signal },
  );
  const lastUsed = AccessKeyLastUsed?.LastUsedDate;
  return lastUsed ? toWholeSecond(lastUsed) : null;
}

/**
 * IAM list calls return at most MaxItems and may return fewer even when more exist: keep asking
 * with Marker while IsTruncated. A truncated page without a new marker is an error, not the end:
 * following it would loop forever, stopping would silently drop the rest.
 */
export async function followMarkers<T>(
  what: string,
  fetchPage: (marker: string | undefined) => Promise<{ items: T[]; isTruncated?: boolean; marker?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  for (;;) {
    const page = await fetchPage(marker);
    // One by one: an endpoint that ignores MaxItems (moto) may answer with every user in one page,
    // too many to spread into a call.
    for (const item of page.items) items.push(item);
    if (!page.isTruncated) return items;
    if (!page.marker || seen.has(page.marker))
      throw new AwsReadError(`${what} failed: IsTruncated without a new Marker`);
    seen.add(page.marker);
    marker = page.marker;
  }
}
