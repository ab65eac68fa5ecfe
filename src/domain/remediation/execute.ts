import { describeAwsError } from '../../lib/errors';
import { evaluateUser, type CredentialVerdict } from '../verdict/evaluate';
import { exemptionReason, type ExemptionRules } from '../verdict/exemptions';
import type { IamUserSnapshot } from '../verdict/user-snapshot';
import type { LiveAccessKey, LiveIam, LiveUser } from './ports';
import type {
  ActionOutcome,
  PlannedAction,
  RemediationAction,
  RemediationMode,
  RemediationPlan,
} from './plan';

/** One audit line: what was (or would have been) done to one credential, and how to undo it. */
export interface ActionRecord {
  time: string;
  mode: RemediationMode;
  userName: string;
  arn: string;
  credential: { type: 'password' | 'access-key'; accessKeyId: string | null; slot: 1 | 2 | null };
  action: RemediationAction;
  outcome: ActionOutcome;
  reason: string | null;
  before: {
    passwordLastUsed?: string | null;
    loginProfileCreateDate?: string | null;
    passwordResetRequired?: boolean | null;
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
}

/**
 * Carries a plan out, one credential at a time, each with its own outcome: one failure never stops
 * the others. A blocked plan touches nothing and makes no IAM call at all.
 */
export async function executeRemediation(
  plan: RemediationPlan,
  context: RemediationContext,
): Promise<ActionRecord[]> {
  const records: ActionRecord[] = plan.exempt.map((a) =>
    record(a, context, 'exempt', 'user is exempt (reported as exempt by the scan)', {}),
  );
  if (plan.blocked) {
    const outcome: ActionOutcome = plan.blocked.reason === 'cap' ? 'skipped-cap' : 'skipped-scan-error';
    return [
      ...records,
      ...plan.actions.map((a) => record(a, context, outcome, plan.blocked?.detail ?? null, {})),
    ];
  }
  // A user's tags, path and groups are read once per run, however many of their credentials are acted on.
  const users = new Map<string, Promise<LiveUser | null>>();
  const real = context.live;
  const live: LiveIam = {
    readUser: (userName, withGroups) => {
      const known = users.get(userName) ?? real.readUser(userName, withGroups);
      users.set(userName, known);
      return known;
    },
    readLoginProfile: (userName) => real.readLoginProfile(userName),
    readAccessKeys: (userName) => real.readAccessKeys(userName),
    deleteLoginProfile: (userName) => real.deleteLoginProfile(userName),
    deactivateAccessKey: (userName, accessKeyId) => real.deactivateAccessKey(userName, accessKeyId),
  };
  for (const action of plan.actions) {
    records.push(await actOn(action, { ...context, live }));
  }
  return records;
}

async function actOn(action: PlannedAction, context: RemediationContext): Promise<ActionRecord> {
  const before: ActionRecord['before'] = {};
  try {
    const user = await context.live.readUser(action.userName, context.rules.groupNames.size > 0);
    if (!user) return record(action, context, 'already-gone', 'the user no longer exists', before);
    const exempt = exemptionReason(user, context.rules);
    if (exempt) return record(action, context, 'exempt', `${exempt} (found at re-check)`, before);

    return action.action === 'delete-login-profile'
      ? await deletePassword(action, user, context, before)
      : await deactivateKey(action, user, context, before);
  } catch (error) {
    return record(action, context, 'failed', describeAwsError(error), before);
  }
}

async function deletePassword(
  action: PlannedAction,
  user: LiveUser,
  context: RemediationContext,
  before: ActionRecord['before'],
): Promise<ActionRecord> {
  before.passwordLastUsed = iso(user.passwordLastUsedAt);
  const profile = await context.live.readLoginProfile(action.userName);
  if (!profile) return record(action, context, 'already-gone', 'the login profile no longer exists', before);
  before.loginProfileCreateDate = profile.createdAt.toISOString();
  before.passwordResetRequired = profile.passwordResetRequired;

  const verdict = judgeLive(action, { ...user, loginProfile: profile, accessKeys: [] }, context, 'password');
  if (!verdict?.stale) {
    const why = verdict?.basis === 'created' ? 'password was set' : 'password was used';
    return record(
      action,
      context,
      'skipped-used-since',
      `${why} at ${verdict?.referenceAt.toISOString() ?? 'an unknown time'}, after the scan`,
      before,
    );
  }
  if (context.mode === 'dry-run') return record(action, context, 'would-delete', null, before);
  const result = await context.live.deleteLoginProfile(action.userName);
  return record(action, context, result, result === 'already-gone' ? 'NoSuchEntity on delete' : null, before);
}

async function deactivateKey(
  action: PlannedAction,
  user: LiveUser,
  context: RemediationContext,
  before: ActionRecord['before'],
): Promise<ActionRecord> {
  const keys = await context.live.readAccessKeys(action.userName);
  const key = findKey(keys, action);
  if (key === 'ambiguous') {
    return record(action, context, 'failed', 'two keys match the report entry; refusing to guess', before);
  }
  if (!key) return record(action, context, 'already-gone', 'the access key no longer exists', before);
  before.accessKeyId = key.accessKeyId;
  before.accessKeyStatus = key.status;
  before.accessKeyLastUsed = iso(key.lastUsedAt);
  if (key.status !== 'Active')
    return record(
      action,
      context,
      'already-gone',
      `the key is already ${key.status}`,
      before,
      key.accessKeyId,
    );

  const liveKey = { ...key, slot: 1 as const, status: 'Active' as const };
  const verdict = judgeLive(
    action,
    { ...user, loginProfile: null, accessKeys: [liveKey] },
    context,
    'access-key',
  );
  if (!verdict?.stale) {
    return record(
      action,
      context,
      'skipped-used-since',
      `key was used at ${verdict?.referenceAt.toISOString() ?? 'an unknown time'}, after the scan`,
      before,
      key.accessKeyId,
    );
  }
  if (context.mode === 'dry-run')
    return record(action, context, 'would-deactivate', null, before, key.accessKeyId);
  const result = await context.live.deactivateAccessKey(action.userName, key.accessKeyId);
  return record(
    action,
    context,
    result,
    result === 'already-gone' ? 'NoSuchEntity on update' : null,
    before,
    key.accessKeyId,
  );
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

function record(
  action: PlannedAction,
  context: RemediationContext,
  outcome: ActionOutcome,
  reason: string | null,
  before: ActionRecord['before'],
  accessKeyId: string | null = action.credential.accessKeyId ?? null,
): ActionRecord {
  return {
    time: context.clock().toISOString(),
    mode: context.mode,
    userName: action.userName,
    arn: action.arn,
    credential: { type: action.credential.type, accessKeyId, slot: action.credential.slot ?? null },
    action: action.action,
    outcome,
    reason,
    before,
    undo: undoCommand(action, outcome, accessKeyId),
  };
}

/** Only for what was really done: a dry run or a skip has nothing to undo. */
function undoCommand(
  action: PlannedAction,
  outcome: ActionOutcome,
  accessKeyId: string | null,
): string | null {
  const user = shellQuote(action.userName);
  if (outcome === 'deleted') {
    return `aws iam create-login-profile --user-name ${user} --password '<new temporary password>' --password-reset-required`;
  }
  if (outcome === 'deactivated' && accessKeyId) {
    return `aws iam update-access-key --user-name ${user} --access-key-id ${accessKeyId} --status Active`;
  }
  return null;
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_.@+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
