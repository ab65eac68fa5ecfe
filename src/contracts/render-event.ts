import type { RemediationSummary } from '../domain/remediation/summary';
import { ORGANIZATION_REPORT_KEY } from '../domain/report/object-keys';
import { visualReportKeyOf } from '../domain/visual-report/keys';
import { InvalidInputError } from '../lib/errors';
import { parseOrganizationReportLocation } from './organization-report';
import { parseRemediationSummary } from './remediation-summary';
import { parseReportLocation } from './report-location';

/** Where the report a page is drawn from is: a scan report, or an organisation report. */
export interface RenderedReportLocation {
  readonly bucket: string;
  readonly key: string;
  /** The same report as CSV, beside it. */
  readonly csvKey: string;
}

/**
 * What render receives: the previous step's result, of which it reads the location and, after a
 * single-account disable step, the summary. In an organisation run, the roll-up's result: the
 * organisation report's location (its remediation, per account, is the email's and the audit trail's).
 */
export interface RenderEvent {
  readonly report: RenderedReportLocation;
  readonly remediation?: RemediationSummary;
}

/** Where render wrote the page: what it returns, and what notify links to. */
export interface VisualReportLocation {
  readonly bucket: string;
  readonly key: string;
}

/** The `report` field of a step's input: a scan report's location, or an organisation report's. */
function parseRenderedReportLocation(event: unknown, step: string): RenderedReportLocation {
  const key = (event as { report?: { key?: unknown } } | null | undefined)?.report?.key;
  const {
    bucket,
    key: checked,
    csvKey,
  } = typeof key === 'string' && ORGANIZATION_REPORT_KEY.test(key)
    ? parseOrganizationReportLocation(event, step)
    : parseReportLocation(event, step);
  return { bucket, key: checked, csvKey };
}

export function parseRenderEvent(event: unknown): RenderEvent {
  const report = parseRenderedReportLocation(event, 'render');
  if (ORGANIZATION_REPORT_KEY.test(report.key)) return { report };
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
  report: RenderedReportLocation,
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
