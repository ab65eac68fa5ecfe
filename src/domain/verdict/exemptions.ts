import { normalisePathPrefix } from '../../settings/parsers';
import { EXEMPT_TAG_KEY } from '../../settings/table';
import type { UserVerdict } from './evaluate';
import type { UserReading } from './user-snapshot';

/** Operators mark a user as never to be touched with this tag (value `true`, any case). */
export { EXEMPT_TAG_KEY };

export interface ExemptionRules {
  /** Lower case: IAM user and group names are unique regardless of case, so matching ignores it. */
  readonly userNames: ReadonlySet<string>;
  /** IAM paths such as `/breakglass/`; a user whose path starts with one is exempt. Case-sensitive, as in IAM. */
  readonly pathPrefixes: readonly string[];
  /** Lower case, like userNames. */
  readonly groupNames: ReadonlySet<string>;
}

/** What exemptions are decided on, per user: from GetAccountAuthorizationDetails, or GetUser + ListGroupsForUser. */
export interface UserDirectoryEntry {
  readonly userName: string;
  readonly path: string;
  readonly tags: ReadonlyMap<string, string>;
  /** Null when not known (the group list was not read because no group rule is configured). */
  readonly groupNames: readonly string[] | null;
}

export const NO_EXEMPTIONS: ExemptionRules = {
  userNames: new Set(),
  pathPrefixes: [],
  groupNames: new Set(),
};

/** Why a user is exempt, as data: the email words it in the reader's language. */
export type ExemptionCause =
  | { readonly kind: 'tag' }
  | { readonly kind: 'user-name' }
  | { readonly kind: 'path'; readonly path: string; readonly prefix: string }
  | { readonly kind: 'group'; readonly group: string };

/**
 * Why this user is exempt, or null. The tag always counts; the other rules come from settings.
 * IAM compares the tag keys of a user without regard to case (a user cannot hold both
 * `Department` and `department`; IAM User Guide, "Tagging IAM resources", case sensitivity), so
 * `Stale-IAM:Exempt` is the exempt tag too; its value is `true` in any case.
 */
export function exemptionCause(entry: UserDirectoryEntry, rules: ExemptionRules): ExemptionCause | null {
  if (tagValue(entry.tags, EXEMPT_TAG_KEY)?.trim().toLowerCase() === 'true') return { kind: 'tag' };
  if (rules.userNames.has(entry.userName.toLowerCase())) return { kind: 'user-name' };
  const prefix = rules.pathPrefixes.find((p) => entry.path.startsWith(p));
  if (prefix !== undefined) return { kind: 'path', path: entry.path, prefix };
  const group = (entry.groupNames ?? []).find((g) => rules.groupNames.has(g.toLowerCase()));
  if (group !== undefined) return { kind: 'group', group };
  return null;
}

/** The value of a user's tag, its key compared as IAM compares the tag keys of users: ignoring case. */
function tagValue(tags: ReadonlyMap<string, string>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of tags) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** The report's `exemptReason`: the cause in English, as the report has always written it. */
export function exemptionReason(entry: UserDirectoryEntry, rules: ExemptionRules): string | null {
  const cause = exemptionCause(entry, rules);
  if (!cause) return null;
  switch (cause.kind) {
    case 'tag':
      return `tag ${EXEMPT_TAG_KEY}=true`;
    case 'user-name':
      return 'user name is exempt';
    case 'path':
      return `path ${cause.path} is under exempt prefix ${cause.prefix}`;
    case 'group':
      return `member of exempt group ${cause.group}`;
  }
}

/**
 * Marks exempt users as `exempt`, keeping their credential verdicts for the record. A user the
 * directory does not know (created between the two reads) cannot be cleared, so it becomes an
 * `error`: nothing is ever done to a user whose exemption was not checked.
 */
export function applyExemptions(
  verdicts: readonly UserVerdict[],
  directory: ReadonlyMap<string, UserDirectoryEntry>,
  rules: ExemptionRules,
): UserVerdict[] {
  return verdicts.map((verdict) => {
    if (verdict.status === 'error') return verdict;
    const entry = directory.get(verdict.userName);
    if (!entry) {
      return {
        ...verdict,
        status: 'error',
        error: 'user not found in the exemption directory (created during the scan?); not evaluated',
      };
    }
    const reason = exemptionReason(entry, rules);
    return reason ? { ...verdict, status: 'exempt', exemptReason: reason } : verdict;
  });
}

/**
 * The rules from the exemption settings (lists already validated by the settings table). Names are
 * matched ignoring case, as IAM does; path prefixes go through the same normaliser as the disable
 * role's IAM Deny, so the two always agree on who is exempt.
 */
export function exemptionRules(lists: {
  readonly userNames?: readonly string[];
  readonly pathPrefixes?: readonly string[];
  readonly groupNames?: readonly string[];
}): ExemptionRules {
  return {
    userNames: new Set((lists.userNames ?? []).map((n) => n.toLowerCase())),
    pathPrefixes: (lists.pathPrefixes ?? []).map(normalisePathPrefix),
    groupNames: new Set((lists.groupNames ?? []).map((n) => n.toLowerCase())),
  };
}

/**
 * What the users' ARNs say about them, for a source that reads no tags or groups (a credential
 * report file): the path is the part of `arn:aws:iam::123456789012:user/<path>/<name>` before the
 * name; no tags; groups unknown.
 */
export function directoryFromArns(users: readonly UserReading[]): Map<string, UserDirectoryEntry> {
  const entries = new Map<string, UserDirectoryEntry>();
  for (const { user } of users) {
    entries.set(user.userName, {
      userName: user.userName,
      path: pathFromArn(user.arn),
      tags: new Map(),
      groupNames: null,
    });
  }
  return entries;
}

/** `/division/team/` from `arn:aws:iam::123456789012:user/division/team/alice`; `/` when the ARN has no path. */
export function pathFromArn(arn: string): string {
  const resource = /:user(\/.*)$/.exec(arn)?.[1] ?? '/';
  return resource.slice(0, resource.lastIndexOf('/') + 1) || '/';
}
