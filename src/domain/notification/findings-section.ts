import type { FindingsStepFailure } from '../../contracts/findings-outcome';
import { oneLine } from '../../lib/errors';
import { fitLength } from '../../lib/fit-length';
import type { FindingsOutcome } from '../findings/sync';
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
