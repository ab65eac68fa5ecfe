/**
 * Where the service keeps things in its bucket, one folder per account and day:
 * `reports/123456789012/2026/11/28/scan-2026-11-28T000000Z.json` (and `.csv` beside it), the
 * organisation report under `reports/organization/`, what one organisation run hands between its
 * steps under `runs/<execution name>/`, and the remediation audit trail under `audit/`. Readers
 * check a key against these shapes before using it.
 */
import { BUCKET_PREFIXES } from '../../settings/bucket-layout';

const ACCOUNT = '(\\d{12}|unknown-account)';
const DAY = '\\d{4}/\\d{2}/\\d{2}';
const STAMP = '\\d{4}-\\d{2}-\\d{2}T\\d{6}Z';
/** Letters, digits and dashes: a Lambda request id (a UUID) or a random hex string. */
const RUN_ID = '[A-Za-z0-9-]{1,64}';
const AUDIT_RUN_ID = new RegExp(`^${RUN_ID}$`);

/** A JSON report key the scan writes. */
export const REPORT_KEY = new RegExp(`^reports/${ACCOUNT}/${DAY}/scan-${STAMP}\\.json$`);

/** An organisation report key the roll-up writes (its CSV and summary are beside it). */
export const ORGANIZATION_REPORT_KEY = new RegExp(
  `^${BUCKET_PREFIXES.organizationReports}${DAY}/organization-${STAMP}\\.json$`,
);

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

/** Where an account's reports are: a stored location must be under it. */
export function accountReportsPrefix(accountId: string): string {
  return `${BUCKET_PREFIXES.reports}${accountId}/`;
}

/** The organisation report of a run evaluated at `evaluatedAt`: JSON, CSV, and the JSON without its users. */
export function organizationReportKeys(evaluatedAt: Date): {
  key: string;
  csvKey: string;
  summaryKey: string;
} {
  const { day, stamp } = dayAndStamp(evaluatedAt);
  const base = `${BUCKET_PREFIXES.organizationReports}${day}/organization-${stamp}`;
  return { key: `${base}.json`, csvKey: `${base}.csv`, summaryKey: `${base}.summary.json` };
}

/** The CSV and summary keys that belong beside an organisation report key. */
export function organizationCompanionKeys(key: string): { csvKey: string; summaryKey: string } {
  const base = key.replace(/\.json$/, '');
  return { csvKey: `${base}.csv`, summaryKey: `${base}.summary.json` };
}

/** The folder of one organisation run (its execution name): the account lists and the map results. */
export function runPrefix(runName: string): string {
  return `${BUCKET_PREFIXES.runs}${runName}/`;
}

/** A manifest the map's ResultWriter writes: `runs/map-results/<map run id>/manifest.json`. */
export const MAP_MANIFEST_KEY = new RegExp(
  `^${BUCKET_PREFIXES.mapResults}/[0-9A-Za-z_-]{1,128}/manifest\\.json$`,
);

/**
 * The accounts a run scans (the map's items, one JSON array), those it skipped, and, with
 * remediation, the accounts whose disable step runs (the second map's items).
 */
export function runKeys(runName: string): {
  accountsKey: string;
  skippedKey: string;
  remediationKey: string;
} {
  const prefix = runPrefix(runName);
  return {
    accountsKey: `${prefix}accounts.json`,
    skippedKey: `${prefix}skipped.json`,
    remediationKey: `${prefix}remediation-accounts.json`,
  };
}

/**
 * The remediation plan of an organisation run evaluated at `evaluatedAt`, written by the request
 * `runId` (a retried step writes a plan of its own beside the first, never over it):
 * `audit/organization/2026/11/28/plan-2026-11-28T000000Z-<run id>.json`.
 */
export function organizationPlanKey(evaluatedAt: Date, runId: string): string {
  if (!AUDIT_RUN_ID.test(runId)) throw new Error(`not a run id for an S3 key: ${JSON.stringify(runId)}`);
  const { day, stamp } = dayAndStamp(evaluatedAt);
  return `${BUCKET_PREFIXES.organizationAudit}${day}/plan-${stamp}-${runId}.json`;
}

/** A key organizationPlanKey gives. */
export const ORGANIZATION_PLAN_KEY = new RegExp(
  `^${BUCKET_PREFIXES.organizationAudit}${DAY}/plan-${STAMP}-${RUN_ID}\\.json$`,
);

/**
 * The audit trail of one disable run, a folder of its own:
 * `audit/123456789012/2026/11/28/disable-2026-11-28T000512Z-<run id>/`, where the run id (the
 * Lambda request id) tells apart two runs started in the same second. In it, `<seq>-intent.json`
 * before each IAM write, `<seq>-outcome.json` after it, and `records.jsonl`, every credential the
 * run considered.
 */
export function auditRunPrefix(accountId: string, runAt: Date, runId: string): string {
  if (!AUDIT_RUN_ID.test(runId)) throw new Error(`not a run id for an S3 key: ${JSON.stringify(runId)}`);
  const { day, stamp } = dayAndStamp(runAt);
  return `${BUCKET_PREFIXES.audit}${accountId}/${day}/disable-${stamp}-${runId}/`;
}

/** `<prefix>records.jsonl`: every credential the run considered, one JSON line each. */
export const AUDIT_RECORDS_FILE = 'records.jsonl';

/** The objects of one IAM write in a run's folder: `0007-intent.json`, `0007-outcome.json`. */
export function auditEntryName(seq: number, kind: 'intent' | 'outcome'): string {
  return `${String(seq).padStart(4, '0')}-${kind}.json`;
}

/**
 * An object in a run's folder. Groups: 1 the folder, 2 the run's stamp, 3 its run id, then for an
 * intent or outcome 4 its seq and 5 `intent` or `outcome` (both absent for `records.jsonl`).
 */
export const AUDIT_ENTRY_KEY = new RegExp(
  `^(${BUCKET_PREFIXES.audit}\\d{12}/${DAY}/disable-(${STAMP})-(${RUN_ID})/)(?:(\\d{4,})-(intent|outcome)\\.json|records\\.jsonl)$`,
);

/** The instant of a `2026-11-28T000512Z` stamp. */
export function stampInstant(stamp: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return null;
  const at = new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** `audit/<account>/`: the audit trail of one account. */
export function auditAccountPrefix(accountId: string): string {
  return `${BUCKET_PREFIXES.audit}${accountId}/`;
}

/** `audit/<account>/<yyyy>/<mm>/<dd>`: where the audit trail of `day` begins (for listing from a day on). */
export function auditDayPrefix(accountId: string, day: Date): string {
  return `${BUCKET_PREFIXES.audit}${accountId}/${dayAndStamp(day).day}`;
}
