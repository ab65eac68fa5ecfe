import type { PlanBlock, RemediationMode, RemediationPlan } from '../remediation/plan';
import type { AccountRef } from './accounts';

/**
 * Remediation across an organisation, decided once per run before any account acts: each account
 * completely scanned is planned on its own, with the same planner and guards as one account
 * (planRemediation: scan errors, the caps, the floor), then the plans that may act are added up
 * and held against the organisation's cap on actions per run. A total over the cap refuses the
 * run whole: no account acts, and every account says why. Accounts scanned partially or not at
 * all, and accounts whose report cannot be trusted, are planned nothing.
 *
 * The plan is stored (audit/organization/...) and each member's disable step verifies its own
 * plan against it: it acts only where the plan says `act`, and on no more actions than planned.
 */

/** What one account brings to the organisation's plan. */
export type AccountPlanInput =
  /** Scanned partially or not at all: nothing is done there. */
  | {
      readonly account: AccountRef;
      readonly status: 'not-scanned';
      readonly scanStatus: 'partial' | 'failed';
    }
  /** Completely scanned, but its report could not be read or trusted: nothing is done there. */
  | { readonly account: AccountRef; readonly status: 'refused'; readonly reason: string }
  /** Completely scanned and planned on its own report, read at exactly this version. */
  | {
      readonly account: AccountRef;
      readonly status: 'planned';
      readonly report: StoredReportVersion;
      readonly plan: RemediationPlan;
    };

export interface StoredReportVersion {
  readonly key: string;
  readonly versionId: string;
}

/**
 * What the organisation's plan decided for one account:
 * - `act`: its disable step runs, on at most `actions` actions;
 * - `nothing-to-do`: no stale credential to act on;
 * - `blocked`: its own plan was refused (`block`), or the organisation's cap refused the run;
 * - `not-scanned`: its scan was partial or failed (`scanStatus`);
 * - `refused`: its report could not be read or trusted (`reason`).
 */
export const ACCOUNT_DECISIONS = ['act', 'nothing-to-do', 'blocked', 'not-scanned', 'refused'] as const;
export type AccountDecision = (typeof ACCOUNT_DECISIONS)[number];

export interface AccountRemediationPlan {
  readonly accountId: string;
  readonly name: string;
  readonly decision: AccountDecision;
  /** The report the plan was made from; null when none was planned. */
  readonly report: StoredReportVersion | null;
  /** Actions the account's own plan holds (acted on, or held back when blocked). */
  readonly actions: number;
  readonly block: PlanBlock | null;
  readonly scanStatus: 'partial' | 'failed' | null;
  readonly reason: string | null;
}

export interface OrganizationPlanSettings {
  readonly runName: string;
  readonly evaluatedAt: Date;
  readonly plannedAt: Date;
  readonly thresholdDays: number;
  readonly mode: RemediationMode;
  readonly deactivateAccessKeys: boolean;
  readonly maxActionsPerOrganization: number;
}

/** The run's plan, as it is stored and as every member's disable step reads it. */
export interface OrganizationRemediationPlan extends OrganizationPlanSettings {
  /** Actions of every plan that could act, added up. */
  readonly planned: number;
  /** Set when the organisation's cap refused the run: no account acts. */
  readonly refused: Extract<PlanBlock, { code: 'cap-organization' }> | null;
  readonly accounts: readonly AccountRemediationPlan[];
}

/** Pure: the accounts' own plans, added up and held against the organisation's cap. */
export function planOrganizationRemediation(
  inputs: readonly AccountPlanInput[],
  settings: OrganizationPlanSettings,
): OrganizationRemediationPlan {
  const own = inputs.map(decide);
  const planned = own.filter((a) => a.decision === 'act').reduce((n, a) => n + a.actions, 0);
  const refused =
    planned > settings.maxActionsPerOrganization
      ? { code: 'cap-organization' as const, planned, maxActions: settings.maxActionsPerOrganization }
      : null;
  const accounts = refused
    ? own.map((a) => (a.decision === 'act' ? { ...a, decision: 'blocked' as const, block: refused } : a))
    : own;
  return { ...settings, planned, refused, accounts };
}

function decide(input: AccountPlanInput): AccountRemediationPlan {
  const base = {
    accountId: input.account.accountId,
    name: input.account.name,
    report: null,
    actions: 0,
    block: null,
    scanStatus: null,
    reason: null,
  };
  switch (input.status) {
    case 'not-scanned':
      return { ...base, decision: 'not-scanned', scanStatus: input.scanStatus };
    case 'refused':
      return { ...base, decision: 'refused', reason: input.reason };
    case 'planned': {
      const { plan } = input;
      const actions = plan.actions.length;
      if (plan.blocked) {
        return { ...base, decision: 'blocked', report: input.report, actions, block: plan.blocked };
      }
      return { ...base, decision: actions > 0 ? 'act' : 'nothing-to-do', report: input.report, actions };
    }
  }
}

/** The accounts whose disable step runs this time. */
export function accountsThatAct(plan: OrganizationRemediationPlan): AccountRemediationPlan[] {
  return plan.accounts.filter((a) => a.decision === 'act');
}

/** Why a member's disable step may not act on what it was handed, or null when the plan allows it. */
export function planDisallows(
  plan: OrganizationRemediationPlan,
  claim: { readonly runName: string; readonly accountId: string; readonly report: StoredReportVersion },
): string | null {
  if (plan.runName !== claim.runName) {
    return `the plan is run ${plan.runName}'s, not run ${claim.runName}'s`;
  }
  if (plan.refused) return `the plan refused the run (${plan.refused.code})`;
  const entry = plan.accounts.find((a) => a.accountId === claim.accountId);
  if (!entry) return `the plan does not list account ${claim.accountId}`;
  if (entry.decision !== 'act') return `the plan decided ${entry.decision} for account ${claim.accountId}`;
  if (entry.report?.key !== claim.report.key || entry.report.versionId !== claim.report.versionId) {
    return `the plan was made from ${describe(entry.report)}, not from ${describe(claim.report)}`;
  }
  return null;
}

/**
 * The first reason a member's disable step may not act with the settings it reads live now: the
 * plan approved a mode, a threshold and a key switch, and the step may only do less than that.
 * A switch to `enforce`, or to deactivating keys, after a plan made without them would act on
 * something no plan approved; a switch back to `dry-run` is honoured (it changes nothing in IAM).
 */
export function liveSettingsDisallow(
  plan: OrganizationRemediationPlan,
  live: {
    readonly mode: RemediationMode;
    readonly thresholdDays: number;
    readonly deactivateAccessKeys: boolean;
  },
): string | null {
  if (live.thresholdDays !== plan.thresholdDays) {
    return `the threshold is now ${live.thresholdDays} days, the plan was made with ${plan.thresholdDays}`;
  }
  if (live.mode === 'enforce' && plan.mode !== 'enforce') {
    return `the mode is now enforce, the plan was made in ${plan.mode}`;
  }
  if (live.deactivateAccessKeys && !plan.deactivateAccessKeys) {
    return 'access-key deactivation is now on, the plan was made with it off';
  }
  return null;
}

function describe(report: StoredReportVersion | null): string {
  return report ? `${report.key} (version ${report.versionId})` : 'no report';
}
