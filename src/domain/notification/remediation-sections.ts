import type { MessageSection } from './message';
import { TEXT, type NotifyLanguage, type RemediationText } from './text';
import type { RemediationSummary } from '../remediation/summary';
import type { UpcomingLoss } from '../remediation/upcoming-losses';

/**
 * The email sections the disable step adds: what was done (or would be, in dry-run), what was
 * skipped and why, who will lose access soon, and what the next run will do.
 */
export function remediationSections(
  summary: RemediationSummary,
  losses: readonly UpcomingLoss[],
  context: { language: NotifyLanguage; bucket: string; warningDays: number },
): MessageSection[] {
  const { language } = context;
  const t = TEXT[language].remediation;
  const sections: MessageSection[] = [];
  const counts = Object.entries(summary.counts)
    .map(([outcome, n]) => `${outcome}: ${n}`)
    .join(', ');
  sections.push({
    heading: summary.mode === 'enforce' ? t.enforceHeading : t.dryRunHeading,
    lines: [
      ...(summary.blocked ? [t.blocked(summary.blocked.detail)] : []),
      `${t.outcomes}: ${counts || t.nothing}`,
      `${t.audit}: s3://${context.bucket}/${summary.auditKey}`,
    ],
  });
  if (summary.items.length > 0) {
    sections.push({
      heading: t.itemsHeading,
      lines: [
        ...summary.items.map(
          (i) =>
            `${i.userName}  ${credentialName(i.credential, language)}  ${i.outcome}${i.reason ? ` (${i.reason})` : ''}`,
        ),
        ...(summary.itemsOmitted > 0 ? [t.omitted(summary.itemsOmitted)] : []),
      ],
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

function nextRun(summary: RemediationSummary, t: RemediationText): string {
  if (summary.blocked?.reason === 'cap') return t.nextBlockedByCap;
  if (summary.blocked?.reason === 'scan-errors') return t.nextAfterScanErrors;
  return summary.mode === 'enforce' ? t.nextEnforce : t.nextDryRun;
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
