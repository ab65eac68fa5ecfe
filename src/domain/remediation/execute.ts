import { describeAwsError } from '../../lib/errors';
import { exemptionReason, type ExemptionRules } from '../verdict/exemptions';
import { thresholdInstant } from '../verdict/evaluate';
import type {
  ActionOutcome,
  PlannedAction,
  RemediationAction,
  RemediationMode,
  RemediationPlan,
} from './plan';

/** The live state of a user, read again just before acting (the report may be hours old). */
export interface LiveUser {
  readonly userName: string;
  readonly path: string;
  readonly tags: ReadonlyMap<string, string>;
  readonly passwordLastUsedAt: Date | null;
  /** Null when not read (no group exemption configured). */
  readonly groupNames: readonly string[] | null;
}

export interface LiveLoginProfile {
  readonly createdAt: Date;
  readonly passwordResetRequired: boolean;
}

export interface LiveAccessKey {
  readonly accessKeyId: string;
  readonly status: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/** The port to IAM for the disable step: reads for the re-check, and the two reversible-or-not writes. */
export interface LiveIam {
  readUser(userName: string, withGroups: boolean): Promise<LiveUser | null>;
  readLoginProfile(userName: string): Promise<LiveLoginProfile | null>;
  readAccessKeys(userName: string): Promise<LiveAccessKey[]>;
  /** `already-gone` when IAM answers NoSuchEntity. */
  deleteLoginProfile(userName: string): Promise<'deleted' | 'already-gone'>;
  deactivateAccessKey(userName: string, accessKeyId: string): Promise<'deactivated' | 'already-gone'>;
}

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

    const now = context.clock();
    const threshold = thresholdInstant({ thresholdDays: context.thresholdDays, now });
    return action.action === 'delete-login-profile'
      ? await deletePassword(action, user, threshold, context, before)
      : await deactivateKey(action, threshold, context, before);
  } catch (error) {
    return record(action, context, 'failed', describeAwsError(error), before);
  }
}

async function deletePassword(
  action: PlannedAction,
  user: LiveUser,
  threshold: Date,
  context: RemediationContext,
  before: ActionRecord['before'],
): Promise<ActionRecord> {
  before.passwordLastUsed = iso(user.passwordLastUsedAt);
  const profile = await context.live.readLoginProfile(action.userName);
  if (!profile) return record(action, context, 'already-gone', 'the login profile no longer exists', before);
  before.loginProfileCreateDate = profile.createdAt.toISOString();
  before.passwordResetRequired = profile.passwordResetRequired;

  const reference = latest(user.passwordLastUsedAt, profile.createdAt);
  if (reference.getTime() >= threshold.getTime()) {
    const why = reference === profile.createdAt ? 'password was set' : 'password was used';
    return record(
      action,
      context,
      'skipped-used-since',
      `${why} at ${reference.toISOString()}, after the scan`,
      before,
    );
  }
  if (context.mode === 'dry-run') return record(action, context, 'would-delete', null, before);
  const result = await context.live.deleteLoginProfile(action.userName);
  return record(action, context, result, result === 'already-gone' ? 'NoSuchEntity on delete' : null, before);
}

async function deactivateKey(
  action: PlannedAction,
  threshold: Date,
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

  const reference = key.lastUsedAt ?? key.createdAt;
  if (reference.getTime() >= threshold.getTime()) {
    return record(
      action,
      context,
      'skipped-used-since',
      `key was used at ${reference.toISOString()}, after the scan`,
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

/** By id when the report has it (api source); else by creation instant (a credential report has slots only). */
function findKey(keys: readonly LiveAccessKey[], action: PlannedAction): LiveAccessKey | null | 'ambiguous' {
  const { accessKeyId, createdAt } = action.credential;
  if (accessKeyId) return keys.find((k) => k.accessKeyId === accessKeyId) ?? null;
  if (!createdAt) return null;
  const wanted = Math.floor(Date.parse(createdAt) / 1000);
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

function latest(a: Date | null, b: Date): Date {
  return a && a.getTime() >= b.getTime() ? a : b;
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
