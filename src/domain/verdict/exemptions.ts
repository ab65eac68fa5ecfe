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

/** Why this user is exempt, or null. The tag always counts; the other rules come from settings. */
export function exemptionReason(entry: UserDirectoryEntry, rules: ExemptionRules): string | null {
  const tag = entry.tags.get(EXEMPT_TAG_KEY);
  if (tag !== undefined && tag.trim().toLowerCase() === 'true') return `tag ${EXEMPT_TAG_KEY}=true`;
  if (rules.userNames.has(entry.userName.toLowerCase())) return 'user name is exempt';
  const prefix = rules.pathPrefixes.find((p) => entry.path.startsWith(p));
  if (prefix !== undefined) return `path ${entry.path} is under exempt prefix ${prefix}`;
  const group = (entry.groupNames ?? []).find((g) => rules.groupNames.has(g.toLowerCase()));
  if (group !== undefined) return `member of exempt group ${group}`;
  return null;
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
