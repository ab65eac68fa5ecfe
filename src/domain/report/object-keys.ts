import type { ScanReport } from './scan-report';

/** Where a stored report lives. Travels between the Lambda functions instead of the report itself. */
export interface ReportLocation {
  readonly bucket: string;
  /** The JSON report (schemaVersion 1). */
  readonly key: string;
  /** The same report as CSV, beside it. */
  readonly csvKey: string;
}

/** The port the scan writes through and notify / disable read through (S3 in the service). */
export interface ReportStore {
  save(report: ScanReport): Promise<ReportLocation>;
  load(location: Pick<ReportLocation, 'bucket' | 'key'>): Promise<ScanReport>;
}

/** `reports/123456789012/2026/11/28/scan-2026-11-28T000000Z.json`: one folder per account and day. */
export function reportKeys(report: Pick<ScanReport, 'accountId' | 'evaluatedAt'>): {
  key: string;
  csvKey: string;
} {
  const day = report.evaluatedAt.slice(0, 10).replace(/-/g, '/');
  const stamp = report.evaluatedAt.replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
  const base = `reports/${report.accountId ?? 'unknown-account'}/${day}/scan-${stamp}`;
  return { key: `${base}.json`, csvKey: `${base}.csv` };
}
