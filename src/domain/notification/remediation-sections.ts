import type { MessageSection } from './message';
import { TEXT, type NotifyLanguage, type RemediationText } from './text';
import type { ActionOutcome } from '../remediation/plan';
import type { RecordReason } from '../remediation/reasons';
import { OUTCOME_ORDER, type RemediationSummary } from '../remediation/summary';
import type { UpcomingLoss } from '../remediation/upcoming-losses';
import { displayWidth, padEndDisplay } from '../../lib/text-width';

/** A long user name or reason cannot push every other column off the screen. */
const MAX_COLUMN_WIDTH = 64;

/**
 * The email sections the disable step adds: what was done (or would be, in dry-run), what was
 * skipped and why (one plain reason per credential), who will lose access soon, and what the next
 * run will do. Everything the summary carries is data; every word comes from text/<language>.ts.
 */
export function remediationSections(
  summary: RemediationSummary,
  losses: readonly UpcomingLoss[],
  context: { language: NotifyLanguage; bucket: string; warningDays: number },
): MessageSection[] {
  const { language } = context;
  const t = TEXT[language].remediation;
  const sections: MessageSection[] = [];
  const counts = outcomeCounts(summary.counts, t);
  sections.push({
    heading: summary.mode === 'enforce' ? t.enforceHeading : t.dryRunHeading,
    lines: [
      ...(summary.blocked ? [t.blocked(summary.blocked)] : []),
      ...(summary.belowFloor && !summary.blocked
        ? [t.belowFloor(summary.belowFloor.thresholdDays, summary.belowFloor.minEnforceDays)]
        : []),
      `${t.outcomes}: ${counts || t.nothing}`,
      `${t.audit}: s3://${context.bucket}/${summary.auditKey}`,
    ],
  });
  if (summary.items.length > 0) {
    const table = itemTable(summary.items, language, false);
    sections.push({
      heading: t.itemsHeading,
      columns: table.columns,
      lines: [...table.lines, ...(summary.itemsOmitted > 0 ? [t.omitted(summary.itemsOmitted)] : [])],
    });
  }
  sections.push({
    heading: t.warningHeading(context.warningDays, summary.mode === 'dry-run'),
    lines:
      losses.length > 0
        ? losses.map((l) =>
            l.credential === 'password'
              ? t.willLosePassword(l.userName, day(l.staleAt))
              : t.willLoseKey(l.userName, l.slot, day(l.staleAt)),
          )
        : [t.noWarnings],
  });
  sections.push({ heading: t.nextRunHeading, lines: [nextRun(summary, t)] });
  return sections;
}

/** `2 deleted, 1 exempt`: credentials by outcome, in the order an operator reads them; empty for none. */
export function outcomeCounts(counts: RemediationSummary['counts'], t: RemediationText): string {
  return OUTCOME_ORDER.filter((o) => (counts[o] ?? 0) > 0)
    .map((o) => `${counts[o] ?? 0} ${t.outcome[o]}`)
    .join(', ');
}

/** One credential's reason in `language`: the audit trail stores the English one beside the data. */
export function recordReasonText(reason: RecordReason, language: NotifyLanguage): string {
  return TEXT[language].remediation.reason(reason);
}

/**
 * Fixed-width columns (in display columns: Japanese is double width) so the rows line up; with
 * `withAccount`, an account column first (an organisation's items of every account).
 */
export function itemTable(
  items: ReadonlyArray<RemediationSummary['items'][number] & { readonly accountId?: string }>,
  language: NotifyLanguage,
  withAccount: boolean,
): { columns: string; lines: string[] } {
  const t = TEXT[language].remediation;
  const rows = items.map((i) => [
    ...(withAccount ? [i.accountId ?? ''] : []),
    i.userName,
    credentialName(i.credential, language),
    outcomeLabel(i.outcome, t),
    i.reason ? t.reason(i.reason) : '',
  ]);
  const head = [
    ...(withAccount ? [TEXT[language].organization.columns.account] : []),
    t.columns.user,
    t.columns.credential,
    t.columns.outcome,
    t.columns.reason,
  ];
  const widths = head.map((h, i) =>
    Math.min(
      MAX_COLUMN_WIDTH,
      rows.reduce((w, r) => Math.max(w, displayWidth(r[i] ?? '')), displayWidth(h)),
    ),
  );
  const render = (cells: string[]) =>
    cells
      .map((c, i) => padEndDisplay(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return { columns: render(head), lines: rows.map(render) };
}

function outcomeLabel(outcome: ActionOutcome, t: RemediationText): string {
  return t.outcome[outcome];
}

/** What the next run will do, after a run whose plan was refused by `blocked`, or not. */
export function nextRun(summary: Pick<RemediationSummary, 'blocked' | 'mode'>, t: RemediationText): string {
  switch (summary.blocked?.code) {
    case 'cap-actions':
    case 'cap-share':
      return t.nextBlockedByCap;
    case 'cap-organization':
    case 'over-allowance':
      return t.nextBlockedByOrganizationCap;
    case 'scan-errors':
      return t.nextAfterScanErrors;
    case 'below-floor':
      return t.nextBelowFloor;
    case undefined:
      return summary.mode === 'enforce' ? t.nextEnforce : t.nextDryRun;
  }
}

/** `password`, `access key AKIA...` (or its slot when the report did not name it). */
function credentialName(
  credential: RemediationSummary['items'][number]['credential'],
  language: NotifyLanguage,
): string {
  const text = TEXT[language];
  return credential.type === 'password'
    ? text.password
    : text.key(credential.accessKeyId ?? credential.slot ?? undefined);
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
