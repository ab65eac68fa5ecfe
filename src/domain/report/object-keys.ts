/**
 * Where the service keeps things in its bucket, one folder per account and day:
 * `reports/123456789012/2026/11/28/scan-2026-11-28T000000Z.json` (and `.csv` beside it), and the
 * remediation audit trail under `audit/`. Readers check a key against these shapes before using it.
 */

const ACCOUNT = '(\\d{12}|unknown-account)';
const DAY = '\\d{4}/\\d{2}/\\d{2}';
const STAMP = '\\d{4}-\\d{2}-\\d{2}T\\d{6}Z';

/** A JSON report key the scan writes. */
export const REPORT_KEY = new RegExp(`^reports/${ACCOUNT}/${DAY}/scan-${STAMP}\\.json$`);

/** `2026/11/28` and `2026-11-28T000512Z` for an instant. */
function dayAndStamp(at: Date): { day: string; stamp: string } {
  const iso = at.toISOString();
  return {
    day: iso.slice(0, 10).replace(/-/g, '/'),
    stamp: iso.replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z'),
  };
}

/** The JSON report and its CSV copy, for a report of `accountId` evaluated at `evaluatedAt`. */
export function reportKeys(report: { accountId: string | null; evaluatedAt: Date }): {
  key: string;
  csvKey: string;
} {
  const { day, stamp } = dayAndStamp(report.evaluatedAt);
  const base = `reports/${report.accountId ?? 'unknown-account'}/${day}/scan-${stamp}`;
  return { key: `${base}.json`, csvKey: `${base}.csv` };
}

/** `audit/123456789012/2026/11/28/disable-2026-11-28T000512Z.jsonl`: the audit lines of one run. */
export function auditKey(accountId: string | null, runAt: Date): string {
  const { day, stamp } = dayAndStamp(runAt);
  return `audit/${accountId ?? 'unknown-account'}/${day}/disable-${stamp}.jsonl`;
}
