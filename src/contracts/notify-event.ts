import type { FindingsOutcome } from '../domain/findings/sync';
import type { RemediationSummary } from '../domain/remediation/summary';
import { parseFindingsOutcome, parseFindingsStepFailure, type FindingsStepFailure } from './findings-outcome';
import { parseVisualReportLocation, type VisualReportLocation } from './render-event';
import { parseReportLocation, type ReportLocation } from './report-location';

/** What notify receives: the previous step's result, of which it reads the location and remediation. */
export interface NotifyEvent {
  readonly report: ReportLocation;
  /** Present when the disable step ran before notify. */
  readonly remediation?: RemediationSummary;
  /** Present when the findings step ran and succeeded. */
  readonly findings?: FindingsOutcome;
  /** Present when the findings step failed: the state machine's Catch recorded the error. */
  readonly findingsError?: unknown;
  /** Present when the render step wrote the visual report. */
  readonly visualReport?: VisualReportLocation;
  /** Present when the render step failed: the state machine's Catch recorded the error. */
  readonly renderError?: unknown;
}

/** The parts of notify's input it uses, checked. */
export interface NotifyInput {
  readonly report: ReportLocation;
  readonly remediation?: RemediationSummary;
  readonly findings?: FindingsOutcome;
  readonly findingsFailure?: FindingsStepFailure;
  readonly visualReport?: VisualReportLocation;
  /** The render step ran and failed: the email says the visual report is missing. */
  readonly visualReportFailed?: boolean;
}

export function parseNotifyEvent(event: unknown): NotifyInput {
  const report = parseReportLocation(event, 'notify');
  const { remediation, findings, findingsError, renderError } = event as {
    remediation?: RemediationSummary;
    findings?: unknown;
    findingsError?: unknown;
    renderError?: unknown;
  };
  const visualReport = parseVisualReportLocation(event, report, 'notify');
  return {
    report,
    ...(remediation === undefined ? {} : { remediation }),
    ...(findings === undefined ? {} : { findings: parseFindingsOutcome(findings, 'notify') }),
    ...(findingsError === undefined
      ? {}
      : { findingsFailure: parseFindingsStepFailure(findingsError, 'notify') }),
    ...(visualReport === undefined ? {} : { visualReport }),
    ...(renderError === undefined ? {} : { visualReportFailed: true }),
  };
}
