import { z } from 'zod';
import { accountFailure, type MemberRemediationOutcome } from '../domain/organization/account-outcome';
import {
  ACCOUNT_DECISIONS,
  type AccountRemediationPlan,
  type OrganizationRemediationPlan,
} from '../domain/organization/remediation-plan';
import { REMEDIATION_MODES } from '../domain/remediation/plan';
import { MAP_MANIFEST_KEY, ORGANIZATION_PLAN_KEY } from '../domain/report/object-keys';
import { InvalidInputError } from '../lib/errors';
import type { Jsonified } from '../lib/jsonified';
import type { MapItemKind } from './map-results';
import { failedAccountSchemas, failureOfStepError } from './member-scan';
import { parseOrganizationReportLocation, type OrganizationReportLocation } from './organization-report';
import {
  EXECUTION_NAME,
  accountRefSchema,
  reportLocationSchema,
  runSchema,
  type OrganizationRun,
} from './organization-run';
import {
  organizationCapBlock,
  planBlock,
  parseRemediationSummary,
  remediationSummarySchema,
} from './remediation-summary';
import { count, instant, thresholdDays } from './stored-report';
import { parseWith } from './validation';

/**
 * What an organisation run's remediation hands between its steps, each checked whole where it is
 * read: the plan (stored under audit/organization/, read back by every member's disable step and
 * by the email), what the plan step adds to the state, each member's input and result.
 */

const versionId = z.string().min(1).max(1024);
const storedVersion = z.object({ key: z.string().min(1), versionId }).strict();

const accountPlanSchema = z
  .object({
    accountId: accountRefSchema.shape.accountId,
    name: accountRefSchema.shape.name,
    decision: z.enum(ACCOUNT_DECISIONS),
    report: storedVersion.nullable(),
    actions: count,
    block: planBlock.nullable(),
    scanStatus: z.enum(['partial', 'failed']).nullable(),
    reason: z.string().max(2048).nullable(),
  })
  .strict();

const PLAN_KIND = 'organization-remediation-plan';

const planSchema = z
  .object({
    kind: z.literal(PLAN_KIND),
    runName: z.string().regex(EXECUTION_NAME, 'not a Step Functions execution name'),
    evaluatedAt: instant,
    plannedAt: instant,
    thresholdDays,
    mode: z.enum(REMEDIATION_MODES),
    deactivateAccessKeys: z.boolean(),
    maxActionsPerOrganization: count,
    planned: count,
    refused: organizationCapBlock.nullable(),
    accounts: z.array(accountPlanSchema),
  })
  .strict();

/** The plan as it is stored: the plan, with its kind. */
export function jsonOfPlan(plan: OrganizationRemediationPlan): Record<string, unknown> {
  return {
    kind: PLAN_KIND,
    ...plan,
    evaluatedAt: plan.evaluatedAt.toISOString(),
    plannedAt: plan.plannedAt.toISOString(),
  };
}

/** The plan stored at `where`, validated whole and checked to agree with itself. */
export function parseOrganizationRemediationPlan(json: unknown, where: string): OrganizationRemediationPlan {
  const parsed = parseWith(planSchema, json, `the remediation plan ${where}`);
  const plan: OrganizationRemediationPlan = {
    runName: parsed.runName,
    evaluatedAt: parsed.evaluatedAt,
    plannedAt: parsed.plannedAt,
    thresholdDays: parsed.thresholdDays,
    mode: parsed.mode,
    deactivateAccessKeys: parsed.deactivateAccessKeys,
    maxActionsPerOrganization: parsed.maxActionsPerOrganization,
    planned: parsed.planned,
    refused: parsed.refused,
    accounts: parsed.accounts,
  };
  const problem = planInconsistency(plan);
  if (problem) throw new InvalidInputError(`the remediation plan ${where} is not consistent: ${problem}`);
  return plan;
}

function planInconsistency(plan: OrganizationRemediationPlan): string | null {
  const seen = new Set<string>();
  for (const a of plan.accounts) {
    if (seen.has(a.accountId)) return `account ${a.accountId} is listed twice`;
    seen.add(a.accountId);
    const problem = entryInconsistency(a);
    if (problem) return `account ${a.accountId}: ${problem}`;
  }
  const refusedByCap = (a: AccountRemediationPlan) => a.block?.code === 'cap-organization';
  const counted = plan.accounts
    .filter((a) => a.decision === 'act' || refusedByCap(a))
    .reduce((n, a) => n + a.actions, 0);
  if (counted !== plan.planned) return `planned is ${plan.planned}, but the accounts add up to ${counted}`;
  const over = plan.planned > plan.maxActionsPerOrganization;
  if (over !== (plan.refused !== null)) {
    return `${plan.planned} actions planned with a cap of ${plan.maxActionsPerOrganization}, yet refused is ${JSON.stringify(plan.refused)}`;
  }
  if (plan.refused && plan.accounts.some((a) => a.decision === 'act')) {
    return 'the run is refused, yet an account may act';
  }
  return null;
}

function entryInconsistency(a: AccountRemediationPlan): string | null {
  switch (a.decision) {
    case 'act':
      return a.report && a.actions > 0 && !a.block ? null : 'act needs a report, actions and no block';
    case 'nothing-to-do':
      return a.report && a.actions === 0 && !a.block ? null : 'nothing-to-do needs a report and no action';
    case 'blocked':
      return a.report && a.block ? null : 'blocked needs a report and a block';
    case 'not-scanned':
      return a.scanStatus && !a.report ? null : 'not-scanned needs the scan status and no report';
    case 'refused':
      return a.reason && !a.report ? null : 'refused needs a reason and no report';
  }
}

/** What the plan step reads of its input (the roll-up's result): the run, and where its organisation report is. */
export interface PlanRemediationEvent {
  readonly run: OrganizationRun;
  readonly report: OrganizationReportLocation;
}

export function parsePlanRemediationEvent(event: unknown): PlanRemediationEvent {
  const { run } = parseWith(
    z.object({ run: runSchema }),
    event,
    'the planRemediation input (the roll-up result)',
  );
  return { run, report: parseOrganizationReportLocation(event, 'planRemediation') };
}

/** Where the plan of a run is: its own version in the stack's bucket. */
export interface PlanLocation {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
}

const planLocationSchema = z
  .object({
    bucket: z.string().min(1),
    key: z.string().regex(ORGANIZATION_PLAN_KEY, 'not a remediation plan key'),
    versionId,
  })
  .strict();

/** One account whose disable step runs: an item of the second map, written by the plan step. */
export interface RemediationItem {
  readonly account: { readonly accountId: string; readonly name: string };
  readonly report: { bucket: string; key: string; csvKey: string; versionId: string };
}

const versionedReportLocation = reportLocationSchema.refine(
  (l) => l.versionId !== undefined,
  'the report location has no S3 version id',
);

/** What disableMember receives: its item, the run, and where the run's plan is. */
export interface DisableMemberEvent extends RemediationItem {
  readonly run: OrganizationRun;
  readonly plan: PlanLocation;
}

const disableMemberEventSchema = z
  .object({
    account: accountRefSchema,
    report: versionedReportLocation,
    run: runSchema,
    plan: planLocationSchema,
  })
  .strict();

export function parseDisableMemberEvent(event: unknown): DisableMemberEvent {
  const parsed = parseWith(
    disableMemberEventSchema,
    event,
    'the disableMember input ({ account, report, run, plan })',
  );
  const { versionId: reportVersion } = parsed.report;
  if (reportVersion === undefined)
    throw new InvalidInputError('the disableMember input has no report version');
  return { ...parsed, report: { ...parsed.report, versionId: reportVersion } };
}

/** What disableMember returns, as JSON. */
export type MemberRemediationResult = Jsonified<MemberRemediationOutcome>;

const memberResultSchema = z.union([
  z
    .object({ status: z.literal('done'), account: accountRefSchema, remediation: remediationSummarySchema })
    .strict(),
  // Its own failure, or the map's DisableMemberFailed state's (an error caught around disableMember).
  ...failedAccountSchemas,
]);

/** The remediation map's items: one member's disable step each (disableMember's input and result). */
export const MEMBER_REMEDIATIONS: MapItemKind<MemberRemediationOutcome> = {
  accountOf: (input) => parseDisableMemberEvent(input).account,
  outcomeOf: parseMemberRemediationResult,
  failed: (account, error) => ({ status: 'failed', account, error }),
};

/** disableMember's result (or the DisableMemberFailed state's), checked, as the domain's outcome. */
export function parseMemberRemediationResult(json: unknown, where: string): MemberRemediationOutcome {
  const result = parseWith(memberResultSchema, json, where);
  if (result.status === 'done') {
    return {
      status: 'done',
      account: result.account,
      remediation: parseRemediationSummary(result.remediation, `${where} remediation`),
    };
  }
  const error =
    'kind' in result.error
      ? accountFailure(result.error.kind, result.error.message)
      : failureOfStepError(result.error);
  return { status: 'failed', account: result.account, error };
}

/** What the plan step adds to the state, and the map after it (`results`, its ResultWriter's answer). */
export interface RemediationRun {
  readonly plan: PlanLocation;
  readonly mode: OrganizationRemediationPlan['mode'];
  readonly planned: number;
  readonly refused: boolean;
  /** The second map's items: the accounts whose disable step runs. */
  readonly accounts: { readonly bucket: string; readonly key: string; readonly count: number };
}

const remediationRunSchema = z
  .object({
    plan: planLocationSchema,
    mode: z.enum(REMEDIATION_MODES),
    planned: count,
    refused: z.boolean(),
    accounts: z.object({ bucket: z.string().min(1), key: z.string(), count }).strict(),
    results: z
      .object({ ResultWriterDetails: z.object({ Bucket: z.string().min(1), Key: z.string() }) })
      .optional(),
  })
  .strict();

/** The `remediation` field of the notify step's input, checked; the manifest key when the map ran. */
export function parseRemediationRun(
  value: unknown,
  step: string,
): RemediationRun & { readonly manifest: { bucket: string; key: string } | null } {
  const parsed = parseWith(remediationRunSchema, value, `${step}: the remediation field`);
  const details = parsed.results?.ResultWriterDetails;
  if (details && !MAP_MANIFEST_KEY.test(details.Key)) {
    throw new InvalidInputError(`${step}: ${details.Key} is not a manifest the map's ResultWriter writes`);
  }
  return {
    plan: parsed.plan,
    mode: parsed.mode,
    planned: parsed.planned,
    refused: parsed.refused,
    accounts: parsed.accounts,
    manifest: details ? { bucket: details.Bucket, key: details.Key } : null,
  };
}
