import { describeAwsError } from '../../lib/errors';
import { evaluateUser, type CredentialVerdict } from '../verdict/evaluate';
import { exemptionCause, type ExemptionRules } from '../verdict/exemptions';
import type { IamUserSnapshot } from '../verdict/user-snapshot';
import type { AuditJournal, ActionIntent } from './journal';
import type { LiveAccessKey, LiveIam, LiveUser, PasswordsLastSet } from './ports';
import {
  heldBackOutcome,
  type ActionOutcome,
  type PlannedAction,
  type RemediationAction,
  type RemediationMode,
  type RemediationPlan,
} from './plan';
import type { RecordReason } from './reasons';
import { undoCommand } from './undo';

/** One audit line: what was (or would have been) done to one credential, why, and how to undo it. */
export interface ActionRecord {
  time: string;
  mode: RemediationMode;
  userName: string;
  arn: string;
  credential: { type: 'password' | 'access-key'; accessKeyId: string | null; slot: 1 | 2 | null };
  action: RemediationAction;
  outcome: ActionOutcome;
  reason: RecordReason | null;
  before: {
    passwordLastUsed?: string | null;
    loginProfileCreateDate?: string | null;
    passwordResetRequired?: boolean | null;
    /** The credential report's `password_last_changed` (null: `N/A`), and when that report was generated. */
    passwordLastChanged?: string | null;
    credentialReportGeneratedAt?: string | null;
    accessKeyId?: string | null;
    accessKeyStatus?: string | null;
    accessKeyLastUsed?: string | null;
  };
  /** The command that reverses the action, when one exists. */
  undo: string | null;
}

export interface RemediationContext {
  readonly mode: RemediationMode;
  readonly thresholdDays: number;
  readonly rules: ExemptionRules;
  readonly live: LiveIam;
  /** Evaluation instant of the re-check, and the audit timestamps. */
  readonly clock: () => Date;
  /** Where every IAM write is recorded, before (intent) and after (outcome). */
  readonly journal: AuditJournal;
  /** True once no new action may start (the run is near its time limit). */
  readonly shouldStop?: () => boolean;
}

/**
 * Carries a plan out, one credential at a time, each with its own outcome: one failure never stops
 * the others. A blocked plan touches nothing and makes no IAM call at all. Every IAM write is
 * written ahead: its intent (user, credential, state before, undo command) is durably in the
 * journal before the write is sent, its outcome after; a journal that cannot be written stops the
 * run before anything more is done. Once `shouldStop` answers true, no new credential is started
 * and the rest are recorded as `not-reached`.
 *
 * A password's re-check also needs the account's credential report, read once per run at the
 * first password it reaches: LoginProfile.CreateDate is when the profile was created, and only
 * the report's `password_last_changed` shows an administrator's reset since. A run that cannot
 * read the report deletes no password (each is `failed`, saying why); nor is the password of a
 * user the report does not list deleted. Access keys do not depend on it and follow their own re-check.
 */
export async function executeRemediation(
  plan: RemediationPlan,
  context: RemediationContext,
): Promise<ActionRecord[]> {
  const records: ActionRecord[] = plan.exempt.map((a) =>
    record(a, context, 'exempt', { code: 'exempt-in-report' }, {}),
  );
  const { blocked } = plan;
  if (blocked) {
    const outcome = heldBackOutcome(blocked);
    return [
      ...records,
      ...plan.actions.map((a) => record(a, context, outcome, { code: 'blocked', block: blocked }, {})),
    ];
  }
  // A user's tags, path and groups are read once per run, however many of their credentials are acted on.
  const users = new Map<string, Promise<LiveUser | null>>();
  const real = context.live;
  const live: LiveIam = {
    ...bindAll(real),
    readUser: (userName, withGroups) => {
      const known = users.get(userName) ?? real.readUser(userName, withGroups);
      users.set(userName, known);
      return known;
    },
  };
  let passwords: Promise<PasswordHistory> | null = null;
  const run: RunState = {
    seq: 0,
    stopped: null,
    passwords: () => (passwords ??= readPasswordHistory(real, context.shouldStop)),
  };
  for (const action of plan.actions) {
    if (!run.stopped && context.shouldStop?.()) run.stopped = { code: 'not-reached' };
    if (run.stopped) {
      records.push(record(action, context, 'not-reached', run.stopped, {}));
      continue;
    }
    records.push(await actOn(action, { ...context, live }, run));
  }
  return records;
}

interface RunState {
  /** Sequence number of the last intent written in this run. */
  seq: number;
  /** Set once nothing more may be started, with the reason the rest are not reached. */
  stopped: RecordReason | null;
  /** The credential report's password dates, read at the first call, the same answer after. */
  passwords: () => Promise<PasswordHistory>;
}

/** The credential report by user name (IAM user names are unique regardless of letter case), or why it is not there. */
type PasswordHistory =
  | { readonly kind: 'read'; readonly generatedAt: Date | null; readonly lastSet: Map<string, Date | null> }
  | { readonly kind: 'unavailable'; readonly error: string };

async function readPasswordHistory(
  live: LiveIam,
  shouldStop: (() => boolean) | undefined,
): Promise<PasswordHistory> {
  let report: PasswordsLastSet;
  try {
    report = await live.readPasswordsLastSet({ shouldStop });
  } catch (error) {
    return { kind: 'unavailable', error: describeAwsError(error) };
  }
  const lastSet = new Map(report.users.map((u) => [u.userName.toLowerCase(), u.lastSetAt] as const));
  return { kind: 'read', generatedAt: report.generatedAt, lastSet };
}

function bindAll(live: LiveIam): LiveIam {
  return {
    readUser: (userName, withGroups) => live.readUser(userName, withGroups),
    readLoginProfile: (userName) => live.readLoginProfile(userName),
    readPasswordsLastSet: (options) => live.readPasswordsLastSet(options),
    readAccessKeys: (userName) => live.readAccessKeys(userName),
    deleteLoginProfile: (userName) => live.deleteLoginProfile(userName),
    deactivateAccessKey: (userName, accessKeyId) => live.deactivateAccessKey(userName, accessKeyId),
  };
}

async function actOn(
  action: PlannedAction,
  context: RemediationContext,
  run: RunState,
): Promise<ActionRecord> {
  const before: ActionRecord['before'] = {};
  try {
    const user = await context.live.readUser(action.userName, context.rules.groupNames.size > 0);
    if (!user) return record(action, context, 'already-gone', { code: 'user-gone' }, before);
    const cause = exemptionCause(user, context.rules);
    if (cause) return record(action, context, 'exempt', { code: 'exempt-now', cause }, before);

    return action.action === 'delete-login-profile'
      ? await deletePassword(action, user, context, before, run)
      : await deactivateKey(action, user, context, before, run);
  } catch (error) {
    return record(action, context, 'failed', { code: 'aws-error', error: describeAwsError(error) }, before);
  }
}

async function deletePassword(
  action: PlannedAction,
  user: LiveUser,
  context: RemediationContext,
  before: ActionRecord['before'],
  run: RunState,
): Promise<ActionRecord> {
  before.passwordLastUsed = iso(user.passwordLastUsedAt);
  const profile = await context.live.readLoginProfile(action.userName);
  if (!profile) return record(action, context, 'already-gone', { code: 'login-profile-gone' }, before);
  before.loginProfileCreateDate = profile.createdAt.toISOString();
  before.passwordResetRequired = profile.passwordResetRequired;

  const history = await run.passwords();
  if (history.kind === 'unavailable') {
    const reason: RecordReason = { code: 'credential-report-unavailable', error: history.error };
    return record(action, context, 'failed', reason, before);
  }
  const lastSetAt = history.lastSet.get(action.userName.toLowerCase());
  if (lastSetAt === undefined)
    return record(action, context, 'failed', { code: 'not-in-credential-report' }, before);
  before.passwordLastChanged = iso(lastSetAt);
  before.credentialReportGeneratedAt = iso(history.generatedAt);
  // The password was last set at the later of the profile's creation and the report's last change.
  const resetAt = lastSetAt && lastSetAt.getTime() > profile.createdAt.getTime() ? lastSetAt : null;
  const setAt = { ...profile, createdAt: resetAt ?? profile.createdAt };
  const verdict = judgeLive(action, { ...user, loginProfile: setAt, accessKeys: [] }, context, 'password');
  if (!verdict?.stale) {
    if (resetAt && verdict?.basis === 'created') {
      const reason: RecordReason = { code: 'password-reset', at: resetAt.toISOString() };
      return record(action, context, 'skipped-used-since', reason, before);
    }
    return usedSince(action, context, before, verdict, null);
  }
  if (context.mode === 'dry-run') return record(action, context, 'would-delete', null, before);
  return writeAhead(action, context, before, null, run, () =>
    context.live.deleteLoginProfile(action.userName),
  );
}

async function deactivateKey(
  action: PlannedAction,
  user: LiveUser,
  context: RemediationContext,
  before: ActionRecord['before'],
  run: RunState,
): Promise<ActionRecord> {
  const keys = await context.live.readAccessKeys(action.userName);
  const key = findKey(keys, action);
  if (key === 'ambiguous') return record(action, context, 'failed', { code: 'ambiguous-key' }, before);
  if (!key) return record(action, context, 'already-gone', { code: 'key-gone' }, before);
  before.accessKeyId = key.accessKeyId;
  before.accessKeyStatus = key.status;
  before.accessKeyLastUsed = iso(key.lastUsedAt);
  if (key.status !== 'Active') {
    const reason: RecordReason = { code: 'key-not-active', status: key.status };
    return record(action, context, 'already-gone', reason, before, key.accessKeyId);
  }

  const liveKey = { ...key, slot: 1 as const, status: 'Active' as const };
  const verdict = judgeLive(
    action,
    { ...user, loginProfile: null, accessKeys: [liveKey] },
    context,
    'access-key',
  );
  if (!verdict?.stale) return usedSince(action, context, before, verdict, key.accessKeyId);
  if (context.mode === 'dry-run') {
    return record(action, context, 'would-deactivate', null, before, key.accessKeyId);
  }
  return writeAhead(action, context, before, key.accessKeyId, run, () =>
    context.live.deactivateAccessKey(action.userName, key.accessKeyId),
  );
}

function usedSince(
  action: PlannedAction,
  context: RemediationContext,
  before: ActionRecord['before'],
  verdict: CredentialVerdict | null,
  accessKeyId: string | null,
): ActionRecord {
  const reason: RecordReason = verdict
    ? { code: 'used-since', basis: verdict.basis, at: verdict.referenceAt.toISOString() }
    : { code: action.action === 'delete-login-profile' ? 'login-profile-gone' : 'key-gone' };
  return record(
    action,
    context,
    'skipped-used-since',
    reason,
    before,
    accessKeyId ?? action.credential.accessKeyId ?? null,
  );
}

/**
 * The one IAM write of an action, written ahead: the intent first (if it cannot be recorded, the
 * write is not sent), then the write, then its outcome. A journal failure on either side stops the
 * run: nothing more is done while the trail cannot be kept.
 */
async function writeAhead(
  action: PlannedAction,
  context: RemediationContext,
  before: ActionRecord['before'],
  accessKeyId: string | null,
  run: RunState,
  write: () => Promise<'deleted' | 'deactivated' | 'already-gone'>,
): Promise<ActionRecord> {
  const done: ActionOutcome = action.action === 'delete-login-profile' ? 'deleted' : 'deactivated';
  const keyId = accessKeyId ?? action.credential.accessKeyId ?? null;
  const intent: ActionIntent = {
    seq: ++run.seq,
    time: context.clock().toISOString(),
    userName: action.userName,
    arn: action.arn,
    credential: credentialOf(action, keyId),
    action: action.action,
    before: { ...before },
    undo: undoCommand(action, done, keyId),
  };
  try {
    await context.journal.intend(intent);
  } catch (error) {
    const reason: RecordReason = { code: 'audit-unavailable', error: describeAwsError(error) };
    run.stopped = reason;
    return record(action, context, 'failed', reason, before, keyId);
  }
  let result: ActionRecord;
  try {
    const outcome = await write();
    result = record(
      action,
      context,
      outcome,
      outcome === 'already-gone' ? { code: 'gone-on-write' } : null,
      before,
      keyId,
    );
  } catch (error) {
    result = record(
      action,
      context,
      'failed',
      { code: 'aws-error', error: describeAwsError(error) },
      before,
      keyId,
    );
  }
  try {
    await context.journal.settle(intent, result);
  } catch (error) {
    run.stopped = { code: 'audit-unavailable', error: describeAwsError(error) };
  }
  return result;
}

/**
 * The live state judged by the scan's own rule (evaluateUser) at the re-check's instant: the one
 * credential the action is about, or null when the live state holds none of that kind.
 */
function judgeLive(
  action: PlannedAction,
  live: Omit<IamUserSnapshot, 'arn' | 'createdAt'>,
  context: RemediationContext,
  scope: 'password' | 'access-key',
): CredentialVerdict | null {
  // The user's creation plays no part in a credential's verdict.
  const snapshot: IamUserSnapshot = { ...live, arn: action.arn, createdAt: new Date(0) };
  const verdict = evaluateUser(snapshot, {
    thresholdDays: context.thresholdDays,
    now: context.clock(),
    scope,
  });
  return verdict.credentials[0] ?? null;
}

/** By id when the report has it (api source); else by creation instant (a credential report has slots only). */
function findKey(keys: readonly LiveAccessKey[], action: PlannedAction): LiveAccessKey | null | 'ambiguous' {
  const { accessKeyId, createdAt } = action.credential;
  if (accessKeyId) return keys.find((k) => k.accessKeyId === accessKeyId) ?? null;
  if (!createdAt) return null;
  const wanted = Math.floor(createdAt.getTime() / 1000);
  const matches = keys.filter((k) => Math.floor(k.createdAt.getTime() / 1000) === wanted);
  return matches.length > 1 ? 'ambiguous' : (matches[0] ?? null);
}

function credentialOf(action: PlannedAction, accessKeyId: string | null): ActionRecord['credential'] {
  return { type: action.credential.type, accessKeyId, slot: action.credential.slot ?? null };
}

function record(
  action: PlannedAction,
  context: Pick<RemediationContext, 'mode' | 'clock'>,
  outcome: ActionOutcome,
  reason: RecordReason | null,
  before: ActionRecord['before'],
  accessKeyId: string | null = action.credential.accessKeyId ?? null,
): ActionRecord {
  return {
    time: context.clock().toISOString(),
    mode: context.mode,
    userName: action.userName,
    arn: action.arn,
    credential: credentialOf(action, accessKeyId),
    action: action.action,
    outcome,
    reason,
    before: { ...before },
    undo: undoCommand(action, outcome, accessKeyId),
  };
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
