import type { AccountFailure, MemberRemediationOutcome } from '../organization/account-outcome';
import type { AccountRemediationPlan, OrganizationRemediationPlan } from '../organization/remediation-plan';
import type { ActionOutcome, RemediationMode } from '../remediation/plan';
import type { RemediationSummary } from '../remediation/summary';
import { accountLabel } from './account-label';
import type { MessageSection } from './message';
import { itemTable, nextRun, outcomeCounts } from './remediation-sections';
import { TEXT, type NotifyLanguage, type OrganizationRemediationText, type RemediationText } from './text';

/**
 * The organisation email's remediation sections: what the run's plan decided (the organisation's
 * cap, or why it did not run), each account's part (what its disable step did, or why it did
 * nothing), every credential considered with its account, and what the next run does. Every
 * account of the plan is listed; the lists are cut to fit like the rest of the email.
 */

export interface OrganizationRemediation {
  /** The run's plan; null when the plan step failed. */
  readonly plan: OrganizationRemediationPlan | null;
  /** Where the plan is (`s3://...`); null without a plan. */
  readonly planUri: string | null;
  /** What each member's disable step returned, by account id (only accounts the plan let act ran). */
  readonly outcomes: ReadonlyMap<string, MemberRemediationOutcome>;
  /** The plan step (no plan) or the map (a plan) failed as a whole: the error as the run recorded it. */
  readonly failure: { readonly error: string; readonly message: string } | null;
}

/** Credentials by outcome over every account that ran, and the refusal of the run if any: what the subject says. */
export function organizationRemediationTotals(
  remediation: OrganizationRemediation,
): Pick<RemediationSummary, 'counts' | 'blocked'> {
  const counts: Partial<Record<ActionOutcome, number>> = {};
  for (const outcome of remediation.outcomes.values()) {
    if (outcome.status !== 'done') continue;
    for (const [o, n] of Object.entries(outcome.remediation.counts) as [ActionOutcome, number][]) {
      counts[o] = (counts[o] ?? 0) + n;
    }
  }
  return { counts, blocked: remediation.plan?.refused ?? null };
}

/** Whether the remediation has anything an operator must see even when nothing is stale. */
export function organizationRemediationNeedsAttention(remediation: OrganizationRemediation): boolean {
  if (remediation.failure || remediation.plan?.refused) return true;
  return [...remediation.outcomes.values()].some(
    (o) =>
      o.status === 'failed' ||
      o.remediation.blocked !== null ||
      o.remediation.items.some((i) => i.outcome !== 'exempt'),
  );
}

export function organizationRemediationSections(
  remediation: OrganizationRemediation,
  context: { language: NotifyLanguage; bucket: string; memberRemediationRoleName: string },
): MessageSection[] {
  const text = TEXT[context.language];
  const t = text.remediation;
  const o = text.organization.remediation;
  const { plan, failure } = remediation;
  const totals = organizationRemediationTotals(remediation);
  const heading = plan ? (enforced(plan.mode, remediation) ? t.enforceHeading : t.dryRunHeading) : o.heading;
  const sections: MessageSection[] = [
    {
      heading,
      lines: [
        ...(failure ? [(plan ? o.notCompleted : o.notPlanned)(failure.error, failure.message)] : []),
        ...(plan?.refused ? [t.blocked(plan.refused)] : []),
        ...(plan ? [`${t.outcomes}: ${outcomeCounts(totals.counts, t) || t.nothing}`] : []),
        ...(remediation.planUri ? [`${o.plan}: ${remediation.planUri}`] : []),
      ],
    },
  ];
  if (!plan) return sections;

  const ranked = [...plan.accounts].sort(
    (a, b) => rank(a, remediation) - rank(b, remediation) || (a.accountId < b.accountId ? -1 : 1),
  );
  sections.push({
    heading: o.byAccountHeading(plan.accounts.length),
    lines: ranked.map(
      (a) => `${accountLabel(a)}: ${accountLine(a, remediation.outcomes.get(a.accountId), context, t, o)}`,
    ),
  });

  const items = ranked.flatMap((a) => {
    const outcome = remediation.outcomes.get(a.accountId);
    return outcome?.status === 'done'
      ? outcome.remediation.items.map((i) => ({ ...i, accountId: a.accountId }))
      : [];
  });
  const omitted = ranked.reduce((n, a) => {
    const outcome = remediation.outcomes.get(a.accountId);
    return n + (outcome?.status === 'done' ? outcome.remediation.itemsOmitted : 0);
  }, 0);
  if (items.length > 0) {
    const table = itemTable(items, context.language, true);
    sections.push({
      heading: t.itemsHeading,
      columns: table.columns,
      lines: [...table.lines, ...(omitted > 0 ? [t.omitted(omitted)] : [])],
    });
  }
  sections.push({
    heading: t.nextRunHeading,
    lines: [nextRun({ blocked: plan.refused, mode: plan.mode }, t)],
  });
  return sections;
}

/**
 * Whether the run changed IAM: each member reads the mode live and may have been switched back to
 * dry-run after the plan (never forward: it refuses that), so what the members did decides, and the
 * plan's mode only when no member ran.
 */
function enforced(planned: RemediationMode, remediation: OrganizationRemediation): boolean {
  const ran = [...remediation.outcomes.values()].flatMap((o) =>
    o.status === 'done' ? [o.remediation.mode] : [],
  );
  return ran.length > 0 ? ran.includes('enforce') : planned === 'enforce';
}

/** Failures first, then what was done, then why the others did nothing. */
function rank(a: AccountRemediationPlan, remediation: OrganizationRemediation): number {
  const outcome = remediation.outcomes.get(a.accountId);
  if (a.decision === 'act') {
    if (!outcome || outcome.status === 'failed') return 0;
    const counts = outcome.remediation.counts;
    return (counts.failed ?? 0) + (counts['outcome-unknown'] ?? 0) > 0 ? 1 : 2;
  }
  return { blocked: 3, refused: 4, 'not-scanned': 5, 'nothing-to-do': 6 }[a.decision];
}

function accountLine(
  a: AccountRemediationPlan,
  outcome: MemberRemediationOutcome | undefined,
  context: { bucket: string; memberRemediationRoleName: string },
  t: RemediationText,
  o: OrganizationRemediationText,
): string {
  switch (a.decision) {
    case 'nothing-to-do':
      return o.nothingToDo;
    case 'not-scanned':
      return o.notScanned(a.scanStatus ?? 'failed');
    case 'refused':
      return o.refused(a.reason ?? '');
    case 'blocked':
      // The organisation's refusal is said once above; each account only names it.
      if (a.block?.code === 'cap-organization') return t.reason({ code: 'blocked', block: a.block });
      return a.block ? t.blocked(a.block) : o.nothingToDo;
    case 'act':
      if (!outcome) return o.noResult;
      if (outcome.status === 'failed') return failureLine(outcome.error, a.accountId, context, o);
      return doneLine(outcome.remediation, context.bucket, t, o);
  }
}

function doneLine(
  summary: RemediationSummary,
  bucket: string,
  t: RemediationText,
  o: OrganizationRemediationText,
): string {
  const counts = outcomeCounts(summary.counts, t) || t.nothing;
  const why = summary.blocked
    ? `${t.blocked(summary.blocked)} `
    : summary.belowFloor
      ? `${t.belowFloor(summary.belowFloor.thresholdDays, summary.belowFloor.minEnforceDays)} `
      : '';
  return `${why}${o.done(counts, `s3://${bucket}/${summary.auditKey}`)}`;
}

function failureLine(
  error: AccountFailure,
  account: string,
  context: { memberRemediationRoleName: string },
  o: OrganizationRemediationText,
): string {
  switch (error.kind) {
    case 'role-unavailable':
      return `${o.roleUnavailable({ account, role: context.memberRemediationRoleName })} (${error.message})`;
    case 'timed-out':
      return o.timedOut;
    case 'no-result':
      return o.noResult;
    default:
      return o.failed(error.message);
  }
}
