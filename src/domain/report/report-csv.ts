import type { ScanReport, UserEntry } from './scan-report';
import { escapeUnsafe } from '../../lib/safe-text';

/** The CSV's header, in order (documented in docs/report-schema.md; new columns go at the end). */
export const REPORT_CSV_COLUMNS = [
  'user_name',
  'arn',
  'status',
  'user_idle_days',
  'last_activity_at',
  'credential_type',
  'access_key_id',
  'key_slot',
  'key_active',
  'last_used_at',
  'reference_at',
  'basis',
  'credential_idle_days',
  'credential_stale',
  'error',
  'key_created_at',
  'exempt_reason',
] as const;

/**
 * The report as CSV for spreadsheets: one row per credential, and one row (credential columns
 * empty) for a user who has none. The users' data of the JSON, flattened.
 */
export function formatReportCsv(report: ScanReport): string {
  const lines = [REPORT_CSV_COLUMNS.join(',')];
  for (const user of report.users) lines.push(...userCsvRows(user));
  return lines.join('\n') + '\n';
}

/** One user's rows, without line ends: one per credential, or one when the user has none. */
export function userCsvRows(user: UserEntry): string[] {
  const userCells = [user.userName, user.arn, user.status, user.idleDays, user.lastActivityAt];
  const credentials = user.credentials.length > 0 ? user.credentials : [null];
  return credentials.map((c) => {
    const credentialCells = c
      ? [c.type, c.accessKeyId, c.slot, c.active, c.lastUsedAt, c.referenceAt, c.basis, c.idleDays, c.stale]
      : Array(9).fill(null);
    return [...userCells, ...credentialCells, user.error, c?.createdAt, user.exemptReason]
      .map(csvCell)
      .join(',');
  });
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Names from a credential report file may carry control or bidirectional characters: shown escaped.
  const text = value instanceof Date ? value.toISOString() : escapeUnsafe(String(value));
  // Quote what would break the row, and neutralise spreadsheet formulas (a user name may start with = + - @).
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
