import type { ReportLocation } from '../domain/report/object-keys';
import type { ReportSource, ReportSummary, ScanReport } from '../domain/report/scan-report';

/** What the scan hands to the next state: where the report is and its counts, never the report itself. */
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
    evaluatedAt: report.evaluatedAt,
    thresholdDays: report.thresholdDays,
    source: report.source,
  };
}
