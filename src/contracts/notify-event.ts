import type { RemediationSummary } from '../domain/remediation/summary';
import { parseVisualReportLocation, type VisualReportLocation } from './render-event';
import { parseReportLocation, type ReportLocation } from './report-location';

/** What notify receives: the previous step's result, of which it reads the location and remediation. */
export interface NotifyEvent {
  readonly report: ReportLocation;
  /** Present when the disable step ran before notify. */
  readonly remediation?: RemediationSummary;
  /** Present when the render step wrote the visual report. */
  readonly visualReport?: VisualReportLocation;
  /** The render step ran and failed: the email says the visual report is missing. */
  readonly visualReportFailed?: boolean;
}

/** The parts of notify's input it uses, checked. */
export function parseNotifyEvent(event: unknown): NotifyEvent {
  const report = parseReportLocation(event, 'notify');
  const remediation = (event as { remediation?: RemediationSummary }).remediation;
  const visualReport = parseVisualReportLocation(event, report, 'notify');
  const visualReportFailed = (event as { renderError?: unknown }).renderError !== undefined;
  return {
    report,
    ...(remediation === undefined ? {} : { remediation }),
    ...(visualReport === undefined ? {} : { visualReport }),
    ...(visualReportFailed ? { visualReportFailed } : {}),
  };
}
