import type { FindingsStepFailure } from '../../contracts/findings-outcome';
import { oneLine } from '../../lib/errors';
import { fitLength } from '../../lib/fit-length';
import type { FindingsOutcome } from '../findings/sync';
import type { AccountFindings } from '../organization/account-outcome';
import { accountLabel } from './account-label';
import type { MessageSection } from './message';
import { TEXT, type NotifyLanguage } from './text';

/** A cause can be a stack of anything: one line of at most this many characters. */
const MAX_LINE = 300;

/** What the findings step did, for the email; null when the step is not deployed. */
export function findingsSection(
  findings: FindingsOutcome | undefined,
  failure: FindingsStepFailure | undefined,
  language: NotifyLanguage,
): MessageSection | null {
  const t = TEXT[language].securityHub;
  if (failure)
    return {
      heading: t.heading,
      lines: [t.failed(failure.error, fitLength(oneLine(failure.message), MAX_LINE))],
    };
  if (!findings) return null;
  if (findings.status === 'skipped') return { heading: t.heading, lines: [t.skippedPartial] };
  return {
    heading: t.heading,
    lines: [
      t.imported(findings),
      ...findings.failures.map((f) => t.refused(f.id, f.code, fitLength(oneLine(f.message), MAX_LINE))),
      ...(findings.unreadable > 0 ? [t.unreadable(findings.unreadable)] : []),
      t.product(findings.productArn),
    ],
  };
}

/** Whether the step has something the operators must see even on a day nothing is stale. */
export function findingsNeedAttention(
  findings: FindingsOutcome | undefined,
  failure: FindingsStepFailure | undefined,
): boolean {
  if (failure) return true;
  return findings?.status === 'imported' && (findings.failed > 0 || findings.unreadable > 0);
}

/**
 * The organisation email's findings section: one line per account whose findings were imported (or
 * skipped, or failed) in that account itself; null when none was (securityHub=false).
 */
export function organizationFindingsSection(
  accounts: ReadonlyArray<{
    readonly accountId: string;
    readonly name: string;
    readonly findings?: AccountFindings;
  }>,
  language: NotifyLanguage,
): MessageSection | null {
  const text = TEXT[language];
  const t = text.securityHub;
  const lines = accounts.flatMap((a) => {
    const f = a.findings;
    if (!f) return [];
    const what =
      f.status === 'failed'
        ? t.failed(f.error, fitLength(oneLine(f.message), MAX_LINE))
        : f.status === 'skipped'
          ? t.skippedPartial
          : [t.imported(f), ...(f.unreadable > 0 ? [t.unreadable(f.unreadable)] : [])].join('; ');
    return [`${accountLabel(a)}: ${what}`];
  });
  return lines.length > 0 ? { heading: text.organization.findingsHeading(lines.length), lines } : null;
}

/** Whether an account's findings need a look even on a day nothing is stale: an import failed or refused findings. */
export function organizationFindingsNeedAttention(
  accounts: ReadonlyArray<{ readonly findings?: AccountFindings }>,
): boolean {
  return accounts.some(
    (a) =>
      a.findings?.status === 'failed' ||
      (a.findings?.status === 'imported' && (a.findings.failed > 0 || a.findings.unreadable > 0)),
  );
}
