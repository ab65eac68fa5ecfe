import type { RemediationSummary } from '../domain/remediation/summary';
import { visualReportKeyOf } from '../domain/visual-report/keys';
import { InvalidInputError } from '../lib/errors';
import { parseRemediationSummary } from './remediation-summary';
import { parseReportLocation, type ReportLocation } from './report-location';

/** What render receives: the previous step's result, of which it reads the location and, after disable, the summary. */
export interface RenderEvent {
  readonly report: ReportLocation;
  readonly remediation?: RemediationSummary;
}

/** Where render wrote the page: what it returns, and what notify links to. */
export interface VisualReportLocation {
  readonly bucket: string;
  readonly key: string;
}

export function parseRenderEvent(event: unknown): RenderEvent {
  const report = parseReportLocation(event, 'render');
  const remediation = (event as { remediation?: unknown }).remediation;
  return remediation === undefined
    ? { report }
    : { report, remediation: parseRemediationSummary(remediation, 'render: the remediation field') };
}

/**
 * The `visualReport` field of a step's input, checked against the report it belongs to: the same
 * bucket, and the page beside that report. Undefined when the field is absent (no render step).
 */
export function parseVisualReportLocation(
  event: unknown,
  report: ReportLocation,
  step: string,
): VisualReportLocation | undefined {
  const value = (event as { visualReport?: Record<string, unknown> } | null | undefined)?.visualReport;
  if (value === undefined) return undefined;
  if (value?.bucket !== report.bucket || value?.key !== visualReportKeyOf(report.key)) {
    throw new InvalidInputError(
      `${step}: visualReport must be { bucket: ${JSON.stringify(report.bucket)}, key: ${JSON.stringify(
        visualReportKeyOf(report.key),
      )} }, the page beside the report`,
    );
  }
  return { bucket: report.bucket, key: visualReportKeyOf(report.key) };
}
