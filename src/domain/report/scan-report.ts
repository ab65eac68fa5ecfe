import type { CredentialScope, CredentialVerdict, UserVerdict } from '../verdict/evaluate';
import { countsTowardStatus } from '../verdict/evaluate';
import type { Jsonified } from '../../lib/jsonified';
import { SCAN_SOURCES } from '../../settings/table';

/**
 * The scan report, schemaVersion 1: the contract between scan, notify and disable, and what
 * `stale-iam scan --format json` prints. In memory every instant is a Date; `JSON.stringify`
 * writes each as an ISO-8601 string in UTC (ScanReportJson), and `parseStoredReport`
 * (src/contracts) validates a stored one and turns them back into Dates. Documented field by field
 * in docs/report-schema.md; add fields, never change their meaning.
 */
export const REPORT_SCHEMA_VERSION = 1;

/** Where the verdicts came from: one of the live sources the service can use, or a file (CLI). */
export const REPORT_SOURCES = [...SCAN_SOURCES, 'file'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

export interface CredentialEntry {
  type: 'password' | 'access-key';
  accessKeyId?: string | null;
  slot?: 1 | 2;
  active?: boolean;
  /** Access keys only: when the key was created. */
  createdAt?: Date;
  lastUsedAt: Date | null;
  referenceAt: Date;
  basis: 'last-used' | 'created';
  idleDays: number;
  stale: boolean;
}

export interface UserEntry {
  userName: string;
  arn: string;
  createdAt: Date | null;
  status: UserVerdict['status'];
  lastActivityAt: Date | null;
  idleDays: number | null;
  credentials: CredentialEntry[];
  error?: string;
  exemptReason?: string;
}

export interface ReportSummary {
  users: number;
  stale: number;
  active: number;
  noCredentials: number;
  exempt: number;
  errors: number;
  /** Users whose status is `active` but who still hold at least one stale credential. */
  activeWithStaleCredentials: number;
}

export interface ScanReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: Date;
  evaluatedAt: Date;
  thresholdDays: number;
  credentialScope: CredentialScope;
  source: ReportSource;
  accountId: string | null;
  /** When AWS generated the credential report the verdicts came from; null for the api source or a file. */
  credentialReportGeneratedAt: Date | null;
  /** True when some users could not be evaluated (see their `error`): the verdicts are incomplete. */
  partial: boolean;
  summary: ReportSummary;
  users: UserEntry[];
  /** Users IAM listed but that were deleted before they could be read; they have no verdict. */
  deletedDuringScan: string[];
}

/** The report as JSON carries it: every Date an ISO-8601 string (what `JSON.stringify` writes). */
export type ScanReportJson = Jsonified<ScanReport>;

/** What a report says about the run, beside the verdicts. */
export type ReportContext = Pick<
  ScanReport,
  | 'generatedAt'
  | 'evaluatedAt'
  | 'thresholdDays'
  | 'credentialScope'
  | 'source'
  | 'accountId'
  | 'credentialReportGeneratedAt'
> & { deletedDuringScan?: readonly string[] };

export function buildScanReport(verdicts: readonly UserVerdict[], context: ReportContext): ScanReport {
  const users = [...verdicts].sort((a, b) => compareNames(a.userName, b.userName)).map(toUserEntry);
  const summary = summarize(verdicts);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: context.generatedAt,
    evaluatedAt: context.evaluatedAt,
    thresholdDays: context.thresholdDays,
    credentialScope: context.credentialScope,
    source: context.source,
    accountId: context.accountId,
    credentialReportGeneratedAt: context.credentialReportGeneratedAt,
    partial: summary.errors > 0,
    summary,
    users,
    deletedDuringScan: [...(context.deletedDuringScan ?? [])].sort(compareNames),
  };
}

/** The counts of a report, from its users (or verdicts): what the summary must say. */
export function summarize(
  verdicts: readonly { status: UserVerdict['status']; credentials: readonly { stale: boolean }[] }[],
): ReportSummary {
  const count = (status: UserVerdict['status']) => verdicts.filter((v) => v.status === status).length;
  return {
    users: verdicts.length,
    stale: count('stale'),
    active: count('active'),
    noCredentials: count('no-credentials'),
    exempt: count('exempt'),
    errors: count('error'),
    activeWithStaleCredentials: verdicts.filter((v) => v.status === 'active' && hasStaleCredential(v)).length,
  };
}

export function hasStaleCredential(user: { credentials: readonly { stale: boolean }[] }): boolean {
  return user.credentials.some((c) => c.stale);
}

/** Byte order, not locale order: the same report sorts the same on every machine. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toUserEntry(verdict: UserVerdict): UserEntry {
  const entry: UserEntry = {
    userName: verdict.userName,
    arn: verdict.arn,
    createdAt: verdict.createdAt,
    status: verdict.status,
    lastActivityAt: verdict.lastActivityAt,
    idleDays: verdict.idleDays,
    credentials: verdict.credentials.map(toCredentialEntry),
  };
  if (verdict.error !== undefined) entry.error = verdict.error;
  if (verdict.exemptReason !== undefined) entry.exemptReason = verdict.exemptReason;
  return entry;
}

function toCredentialEntry(credential: CredentialVerdict): CredentialEntry {
  const base = {
    lastUsedAt: credential.lastUsedAt,
    referenceAt: credential.referenceAt,
    basis: credential.basis,
    idleDays: credential.idleDays,
    stale: credential.stale,
  };
  if (credential.type === 'password') return { type: 'password', ...base };
  return {
    type: 'access-key',
    accessKeyId: credential.accessKeyId ?? null,
    slot: credential.slot,
    active: countsTowardStatus(credential),
    createdAt: credential.createdAt,
    ...base,
  };
}
