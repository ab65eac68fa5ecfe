import type { CredentialEntry, ScanReport, UserEntry } from '../report/scan-report';

import { REMEDIATION_MODES } from '../../settings/table';

export { REMEDIATION_MODES };
export type RemediationMode = (typeof REMEDIATION_MODES)[number];

export type RemediationAction = 'delete-login-profile' | 'deactivate-access-key';

/** One outcome per credential, always: what happened to it and, in the record, why. */
export type ActionOutcome =
  | 'deleted'
  | 'deactivated'
  | 'would-delete'
  | 'would-deactivate'
  | 'already-gone'
  | 'exempt'
  | 'skipped-used-since'
  | 'skipped-cap'
  | 'skipped-scan-error'
  | 'skipped-floor'
  | 'not-reached'
  | 'outcome-unknown'
  | 'failed';

export interface PlannedAction {
  readonly userName: string;
  readonly arn: string;
  readonly action: RemediationAction;
  readonly credential: CredentialEntry;
}

export interface RemediationSettings {
  readonly mode: RemediationMode;
  /** Stale console passwords are removed (the service always; the CLI unless told otherwise). */
  readonly deletePasswords: boolean;
  /** Stale active access keys are only deactivated when this separate switch is on. */
  readonly deactivateAccessKeys: boolean;
  /** At most this many actions in one run. */
  readonly maxActions: number;
  /** At most this percentage of the users holding a credential type may lose it in one run (see allowedLosses). */
  readonly maxPercent: number;
  /** An enforcing run with a threshold under this many days acts on nothing. */
  readonly minEnforceDays: number;
}

/** Why nothing at all may be done this run, as data: the email words it in the reader's language. */
export type PlanBlock =
  | { readonly code: 'scan-errors'; readonly errors: number; readonly users: number }
  | { readonly code: 'below-floor'; readonly thresholdDays: number; readonly minEnforceDays: number }
  | { readonly code: 'cap-actions'; readonly planned: number; readonly maxActions: number }
  | {
      readonly code: 'cap-share';
      readonly credential: CredentialEntry['type'];
      readonly affected: number;
      readonly holders: number;
      readonly allowed: number;
      readonly maxPercent: number;
    }
  /** Organisation mode: the accounts' plans add up to more actions than the organisation allows per run. */
  | { readonly code: 'cap-organization'; readonly planned: number; readonly maxActions: number }
  /**
   * Organisation mode: a member's own plan has more actions than the organisation's plan allowed
   * it (a switch or the report changed in between), so the organisation's cap cannot be vouched for.
   */
  | { readonly code: 'over-allowance'; readonly planned: number; readonly allowed: number };

export interface RemediationPlan {
  /** What to act on, after the live re-check; when blocked, what was held back. */
  readonly actions: readonly PlannedAction[];
  /** Stale credentials of users the report lists as exempt: recorded, never touched. */
  readonly exempt: readonly PlannedAction[];
  /** Set when nothing at all may be done this run; `actions` then lists what was held back. */
  readonly blocked: PlanBlock | null;
  /** A dry run under the floor still shows what it would do, and says that enforcing would not. */
  readonly belowFloor: { readonly thresholdDays: number; readonly minEnforceDays: number } | null;
}

/**
 * However small the account, a plan may take a credential type from this many of its holders, and
 * never from more than half of them: an account of 6 console users with 2 stale passwords is
 * remediated with the default 20%, while a threshold typed as 1 instead of 100 (every password
 * stale) is still refused.
 */
export const SMALL_ACCOUNT_ALLOWANCE = 2;

/**
 * How many of `holders` may lose a credential type in one run: `maxPercent` of them (rounded
 * down), or, when that is smaller, SMALL_ACCOUNT_ALLOWANCE capped at half of them. `maxPercent` 0
 * allows none.
 */
export function allowedLosses(holders: number, maxPercent: number): number {
  if (maxPercent === 0) return 0;
  const byShare = Math.floor((holders * maxPercent) / 100);
  return Math.max(byShare, Math.min(SMALL_ACCOUNT_ALLOWANCE, Math.floor(holders / 2)));
}

/**
 * Decides what a run may do, from the scan report alone. Pure: the caps, the scan-error rule, the
 * floor and the exemptions are all applied here, before any IAM call, so every guard can be
 * tested alone. Scan errors are counted from the users listed, never from the report's summary.
 */
export function planRemediation(report: ScanReport, settings: RemediationSettings): RemediationPlan {
  const candidates: PlannedAction[] = [];
  const exempt: PlannedAction[] = [];
  for (const user of report.users) {
    for (const action of actionsFor(user, settings)) {
      (user.status === 'exempt' ? exempt : candidates).push(action);
    }
  }
  const held = (blocked: PlanBlock): RemediationPlan => ({
    actions: candidates,
    exempt,
    blocked,
    belowFloor: null,
  });

  // A scan that could not read everyone may have missed an exemption or a recent use: act on nothing.
  const errors = report.users.filter((u) => u.status === 'error').length;
  if (errors > 0) return held({ code: 'scan-errors', errors, users: report.users.length });

  const belowFloor =
    report.thresholdDays < settings.minEnforceDays
      ? { thresholdDays: report.thresholdDays, minEnforceDays: settings.minEnforceDays }
      : null;
  if (belowFloor && settings.mode === 'enforce') return held({ code: 'below-floor', ...belowFloor });

  const cap = capViolation(report, candidates, settings);
  if (cap) return held(cap);
  return { actions: candidates, exempt, blocked: null, belowFloor };
}

function actionsFor(user: UserEntry, settings: RemediationSettings): PlannedAction[] {
  if (user.status === 'error') return [];
  const actions: PlannedAction[] = [];
  for (const credential of user.credentials) {
    if (!credential.stale) continue;
    if (credential.type === 'password' && settings.deletePasswords) {
      actions.push({ userName: user.userName, arn: user.arn, action: 'delete-login-profile', credential });
    } else if (
      credential.type === 'access-key' &&
      settings.deactivateAccessKeys &&
      credential.active === true
    ) {
      actions.push({ userName: user.userName, arn: user.arn, action: 'deactivate-access-key', credential });
    }
  }
  return actions;
}

/** Both caps, per run: a plan over either is refused whole, never trimmed to fit. */
function capViolation(
  report: ScanReport,
  actions: readonly PlannedAction[],
  settings: RemediationSettings,
): PlanBlock | null {
  if (actions.length > settings.maxActions) {
    return { code: 'cap-actions', planned: actions.length, maxActions: settings.maxActions };
  }
  const checks: [RemediationAction, CredentialEntry['type'], (c: CredentialEntry) => boolean][] = [
    ['delete-login-profile', 'password', (c) => c.type === 'password'],
    ['deactivate-access-key', 'access-key', (c) => c.type === 'access-key' && c.active === true],
  ];
  for (const [action, credential, holds] of checks) {
    const affected = new Set(actions.filter((a) => a.action === action).map((a) => a.userName)).size;
    if (affected === 0) continue;
    const holders = report.users.filter((u) => u.status !== 'error' && u.credentials.some(holds)).length;
    const allowed = allowedLosses(holders, settings.maxPercent);
    if (affected > allowed) {
      return { code: 'cap-share', credential, affected, holders, allowed, maxPercent: settings.maxPercent };
    }
  }
  return null;
}

/**
 * A member's plan checked against what the organisation's plan allowed it: more actions than that
 * refuses the plan whole (an already blocked plan stays as it is).
 */
export function withinAllowance(plan: RemediationPlan, allowed: number): RemediationPlan {
  if (plan.blocked || plan.actions.length <= allowed) return plan;
  return { ...plan, blocked: { code: 'over-allowance', planned: plan.actions.length, allowed } };
}

/** The outcome recorded for each action of a blocked plan. */
export function heldBackOutcome(block: PlanBlock): ActionOutcome {
  switch (block.code) {
    case 'scan-errors':
      return 'skipped-scan-error';
    case 'below-floor':
      return 'skipped-floor';
    case 'cap-actions':
    case 'cap-share':
    case 'cap-organization':
    case 'over-allowance':
      return 'skipped-cap';
  }
}
