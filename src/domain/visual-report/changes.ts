import type { ActionOutcome, PlanBlock, RemediationMode } from '../remediation/plan';
import type { RemediationSummary } from '../remediation/summary';
import type { CredentialEntry, ReportSource } from '../report/scan-report';
import type { CredentialScope } from '../verdict/evaluate';
import { DISABLING_OUTCOMES } from './history';
import type { ReportView, ViewUser } from './report-view';

/**
 * What changed between the previous run's report and this one, credential by credential: which
 * became stale, which stopped being stale and why, and what the disable step took away in this
 * run. Pure: both reports and the remediation summary are passed in.
 *
 * A user who could not be evaluated in either run is left out of both lists (counted in
 * `notComparable`): nothing is known about their credentials, so claiming a change would be a guess.
 */

export interface CredentialRef {
  type: 'password' | 'access-key';
  accessKeyId: string | null;
  slot: 1 | 2 | null;
}

export type NewlyStaleReason = 'crossed-threshold' | 'new-credential' | 'new-user' | 'reactivated';
export type NoLongerStaleReason =
  'used-again' | 'reset' | 'deactivated' | 'credential-removed' | 'user-deleted' | 'threshold-changed';

export interface CredentialChange<Reason> {
  accountId: string | null;
  userName: string;
  credential: CredentialRef;
  /** Idle days in this run; in the previous run for a credential that is gone. */
  idleDays: number;
  reason: Reason;
}

export interface DisabledCredentials {
  mode: RemediationMode;
  /** Why the disable step refused its whole plan (data; the page words it), or null. */
  blocked: PlanBlock | null;
  /** All disabled (or, dry-run, would-be disabled) credentials, even those not itemised. */
  count: number;
  failed: number;
  items: { userName: string; credential: CredentialRef; outcome: ActionOutcome }[];
  /** Disabled credentials the summary does not itemise (it carries at most 100 records). */
  omitted: number;
}

/** How the two runs were set up differently: a change then may come from the settings, not from use. */
export type ComparisonCaveat =
  | { kind: 'threshold'; before: number; now: number }
  | { kind: 'scope'; before: CredentialScope; now: CredentialScope }
  | { kind: 'source'; before: ReportSource; now: ReportSource };

export interface RunChanges {
  /** When the previous run was evaluated; null when there was none to compare with. */
  previousAt: Date | null;
  newlyStale: CredentialChange<NewlyStaleReason>[];
  noLongerStale: CredentialChange<NoLongerStaleReason>[];
  notComparable: number;
  caveats: ComparisonCaveat[];
  /** Null when the disable step did not run. */
  disabled: DisabledCredentials | null;
}

export function changesSince(
  previous: ReportView | null,
  current: ReportView,
  remediation: RemediationSummary | undefined,
): RunChanges {
  const disabled = remediation ? disabledIn(remediation) : null;
  if (!previous) {
    return { previousAt: null, newlyStale: [], noLongerStale: [], notComparable: 0, caveats: [], disabled };
  }
  const before = byUser(previous.users);
  const now = byUser(current.users);
  const newlyStale: CredentialChange<NewlyStaleReason>[] = [];
  const noLongerStale: CredentialChange<NoLongerStaleReason>[] = [];
  let notComparable = 0;

  for (const [id, user] of now) {
    const old = before.get(id);
    if (user.status === 'error' || old?.status === 'error') {
      notComparable++;
      continue;
    }
    for (const credential of user.credentials.filter((c) => c.stale)) {
      const was = old ? old.credentials.find((c) => sameCredential(c, credential)) : undefined;
      if (was?.stale) continue;
      const reason: NewlyStaleReason = !old
        ? 'new-user'
        : !was
          ? 'new-credential'
          : was.type === 'access-key' && was.active === false
            ? 'reactivated'
            : 'crossed-threshold';
      newlyStale.push(change(user, credential, credential.idleDays, reason));
    }
  }
  for (const [id, old] of before) {
    const user = now.get(id);
    if (old.status === 'error' || user?.status === 'error') {
      if (!user) notComparable++;
      continue;
    }
    for (const credential of old.credentials.filter((c) => c.stale)) {
      const is = user ? user.credentials.find((c) => sameCredential(c, credential)) : undefined;
      if (is?.stale) continue;
      if (!user || !is) {
        const reason = user ? 'credential-removed' : 'user-deleted';
        noLongerStale.push(change(old, credential, credential.idleDays, reason));
        continue;
      }
      noLongerStale.push(change(user, is, is.idleDays, whyNotStale(credential, is)));
    }
  }
  return {
    previousAt: previous.evaluatedAt,
    newlyStale: newlyStale.sort(byName),
    noLongerStale: noLongerStale.sort(byName),
    notComparable,
    caveats: caveatsBetween(previous, current),
    disabled,
  };
}

function whyNotStale(was: CredentialEntry, is: CredentialEntry): NoLongerStaleReason {
  if (is.type === 'access-key' && is.active === false) return 'deactivated';
  if (is.referenceAt.getTime() > was.referenceAt.getTime()) {
    return is.basis === 'last-used' ? 'used-again' : 'reset';
  }
  return 'threshold-changed';
}

/** Users by account and name; IAM user names are unique whatever their letter case. */
function byUser(users: readonly ViewUser[]): Map<string, ViewUser> {
  return new Map(users.map((u) => [`${u.accountId ?? ''}/${u.userName.toLowerCase()}`, u]));
}

/**
 * The same credential in two runs: the password, or the key with the same id; a source that does
 * not give key ids (the credential report) is matched on the slot and the key's creation instant.
 */
function sameCredential(a: CredentialEntry, b: CredentialEntry): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'password') return true;
  if (a.accessKeyId && b.accessKeyId) return a.accessKeyId === b.accessKeyId;
  return a.slot === b.slot && a.createdAt?.getTime() === b.createdAt?.getTime();
}

export function credentialRef(credential: CredentialEntry): CredentialRef {
  return credential.type === 'password'
    ? { type: 'password', accessKeyId: null, slot: null }
    : { type: 'access-key', accessKeyId: credential.accessKeyId ?? null, slot: credential.slot ?? null };
}

function change<Reason>(
  user: ViewUser,
  credential: CredentialEntry,
  idleDays: number,
  reason: Reason,
): CredentialChange<Reason> {
  return {
    accountId: user.accountId ?? null,
    userName: user.userName,
    credential: credentialRef(credential),
    idleDays,
    reason,
  };
}

function byName(a: CredentialChange<unknown>, b: CredentialChange<unknown>): number {
  const key = (c: CredentialChange<unknown>) =>
    `${c.accountId ?? ''}/${c.userName}/${c.credential.type}/${c.credential.slot ?? 0}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

function caveatsBetween(previous: ReportView, current: ReportView): ComparisonCaveat[] {
  const caveats: ComparisonCaveat[] = [];
  if (previous.thresholdDays !== current.thresholdDays) {
    caveats.push({ kind: 'threshold', before: previous.thresholdDays, now: current.thresholdDays });
  }
  if (previous.credentialScope !== current.credentialScope) {
    caveats.push({ kind: 'scope', before: previous.credentialScope, now: current.credentialScope });
  }
  if (previous.source !== current.source) {
    caveats.push({ kind: 'source', before: previous.source, now: current.source });
  }
  return caveats;
}

function disabledIn(summary: RemediationSummary): DisabledCredentials {
  const outcomes = DISABLING_OUTCOMES[summary.mode];
  const count = outcomes.reduce((n, o) => n + (summary.counts[o] ?? 0), 0);
  const items = summary.items
    .filter((i) => outcomes.includes(i.outcome))
    .map((i) => ({
      userName: i.userName,
      credential: { type: i.credential.type, accessKeyId: i.credential.accessKeyId, slot: i.credential.slot },
      outcome: i.outcome,
    }));
  return {
    mode: summary.mode,
    blocked: summary.blocked,
    count,
    failed: summary.counts.failed ?? 0,
    items,
    omitted: Math.max(0, count - items.length),
  };
}
