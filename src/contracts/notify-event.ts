import type { FindingsOutcome } from '../domain/findings/sync';
import type { RemediationSummary } from '../domain/remediation/summary';
import { parseFindingsOutcome, parseFindingsStepFailure, type FindingsStepFailure } from './findings-outcome';
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
}

/** The parts of notify's input it uses, checked. */
export interface NotifyInput {
  readonly report: ReportLocation;
  readonly remediation?: RemediationSummary;
  readonly findings?: FindingsOutcome;
  readonly findingsFailure?: FindingsStepFailure;
}

export function parseNotifyEvent(event: unknown): NotifyInput {
  const report = parseReportLocation(event, 'notify');
  const { remediation, findings, findingsError } = event as {
    remediation?: RemediationSummary;
    findings?: unknown;
    findingsError?: unknown;
  };
  return {
    report,
    ...(remediation === undefined ? {} : { remediation }),
    ...(findings === undefined ? {} : { findings: parseFindingsOutcome(findings, 'notify') }),
    ...(findingsError === undefined
      ? {}
      : { findingsFailure: parseFindingsStepFailure(findingsError, 'notify') }),
  };
}
