import type { RemediationSummary } from '../domain/remediation/summary';
import { parseReportLocation, type ReportLocation } from './report-location';

/** What notify receives: the previous step's result, of which it reads the location and remediation. */
export interface NotifyEvent {
  readonly report: ReportLocation;
  /** Present when the disable step ran before notify. */
  readonly remediation?: RemediationSummary;
}

/** The parts of notify's input it uses, checked. */
export function parseNotifyEvent(event: unknown): NotifyEvent {
  const report = parseReportLocation(event, 'notify');
  const remediation = (event as { remediation?: RemediationSummary }).remediation;
  return remediation === undefined ? { report } : { report, remediation };
}
