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
  | 'failed';

export interface PlannedAction {
  readonly userName: string;
  readonly arn: string;
  readonly action: RemediationAction;
  readonly credential: CredentialEntry;
}

export interface RemediationSettings {
  /** Stale active access keys are only deactivated when this separate switch is on. */
  readonly deactivateAccessKeys: boolean;
  /** At most this many actions in one run. */
  readonly maxActions: number;
  /** At most this percentage of the users holding a credential type may lose it in one run. */
  readonly maxPercent: number;
}

export type PlanBlock =
  | { readonly reason: 'scan-errors'; readonly detail: string }
  | { readonly reason: 'cap'; readonly detail: string };

export interface RemediationPlan {
  /** What to act on, after the live re-check; empty when blocked. */
  readonly actions: readonly PlannedAction[];
  /** Stale credentials of exempt users: recorded, never touched. */
  readonly exempt: readonly PlannedAction[];
  /** Set when nothing at all may be done this run; `actions` then lists what was held back. */
  readonly blocked: PlanBlock | null;
}

/**
 * Decides what a run may do, from the scan report alone. Pure: the caps, the scan-error rule and
 * the exemptions are all applied here, before any IAM call, so every guard can be tested alone.
 */
export function planRemediation(report: ScanReport, settings: RemediationSettings): RemediationPlan {
  const candidates: PlannedAction[] = [];
  const exempt: PlannedAction[] = [];
  for (const user of report.users) {
    for (const action of actionsFor(user, settings)) {
      (user.status === 'exempt' ? exempt : candidates).push(action);
    }
  }

  // A scan that could not read everyone may have missed an exemption or a recent use: act on nothing.
  if (report.summary.errors > 0) {
    return {
      actions: candidates,
      exempt,
      blocked: {
        reason: 'scan-errors',
        detail: `${report.summary.errors} user(s) could not be evaluated by the scan, so no action is taken this run`,
      },
    };
  }

  const cap = capViolation(report, candidates, settings);
  return { actions: candidates, exempt, blocked: cap ? { reason: 'cap', detail: cap } : null };
}

function actionsFor(user: UserEntry, settings: RemediationSettings): PlannedAction[] {
  if (user.status === 'error') return [];
  const actions: PlannedAction[] = [];
  for (const credential of user.credentials) {
    if (!credential.stale) continue;
    if (credential.type === 'password') {
      actions.push({ userName: user.userName, arn: user.arn, action: 'delete-login-profile', credential });
    } else if (settings.deactivateAccessKeys && credential.active === true) {
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
): string | null {
  if (actions.length > settings.maxActions) {
    return `${actions.length} actions planned, more than the cap of ${settings.maxActions} per run`;
  }
  const checks: [RemediationAction, string, (c: CredentialEntry) => boolean][] = [
    ['delete-login-profile', 'console passwords', (c) => c.type === 'password'],
    ['deactivate-access-key', 'active access keys', (c) => c.type === 'access-key' && c.active === true],
  ];
  for (const [action, label, holds] of checks) {
    const affected = new Set(actions.filter((a) => a.action === action).map((a) => a.userName)).size;
    if (affected === 0) continue;
    const holders = report.users.filter((u) => u.status !== 'error' && u.credentials.some(holds)).length;
    if (affected * 100 > settings.maxPercent * holders) {
      return (
        `${affected} of the ${holders} users holding ${label} would lose them, ` +
        `more than the cap of ${settings.maxPercent}%`
      );
    }
  }
  return null;
}
