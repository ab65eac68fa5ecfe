import type { ReportSource, ReportSummary, ScanReport } from '../domain/report/scan-report';
import type { ReportLocation } from './report-location';

/**
 * What the scan hands to the next state: where the report is and its counts, never the report
 * itself (Step Functions payloads stop at 256 KB). JSON: instants are ISO-8601 strings. Only the
 * location is trusted by the next steps, after parseReportLocation; the rest is for people reading
 * the execution history.
 */
export interface ScanResult {
  report: ReportLocation;
  summary: ReportSummary;
  /** Some users could not be evaluated; their names and reasons are in the report. */
  partial: boolean;
  accountId: string | null;
  evaluatedAt: string;
  thresholdDays: number;
  source: ReportSource;
}

/** The ScanResult of a report saved at `location`. */
export function scanResultOf(report: ScanReport, location: ReportLocation): ScanResult {
  return {
    report: location,
    summary: report.summary,
    partial: report.partial,
    accountId: report.accountId,
    evaluatedAt: report.evaluatedAt.toISOString(),
    thresholdDays: report.thresholdDays,
    source: report.source,
  };
}
