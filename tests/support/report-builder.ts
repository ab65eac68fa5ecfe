import type { ReportLocation } from '../../src/contracts/report-location';
import {
  REPORT_SCHEMA_VERSION,
  type CredentialEntry,
  type ReportSummary,
  type ScanReport,
  type UserEntry,
} from '../../src/domain/report/scan-report';

/**
 * Builds schemaVersion 1 reports as plain data, the way notify and the report store receive them,
 * without going through a scan. Idle days are given; the instants are derived from EVALUATED_AT.
 */

export const ACCOUNT_ID = '123456789012';
export const EVALUATED_AT = '2026-11-28T00:00:00.000Z';
export const THRESHOLD_DAYS = 90;
export const LOCATION: ReportLocation = {
  bucket: 'reports-bucket',
  key: `reports/${ACCOUNT_ID}/2026/11/28/scan-2026-11-28T000000Z.json`,
  csvKey: `reports/${ACCOUNT_ID}/2026/11/28/scan-2026-11-28T000000Z.csv`,
  versionId: 'Xr8mNqv3xS.4tWz0kQpL9fJ2aB7cD1eG',
};

const DAY_MS = 86_400_000;

export function daysBeforeEvaluation(days: number): string {
  return new Date(Date.parse(EVALUATED_AT) - days * DAY_MS).toISOString();
}

interface CredentialOptions {
  /** Never used since it was set: the reference is its creation. */
  never?: boolean;
  thresholdDays?: number;
}

export function password(idleDays: number, options: CredentialOptions = {}): CredentialEntry {
  const referenceAt = new Date(daysBeforeEvaluation(idleDays));
  return {
    type: 'password',
    lastUsedAt: options.never ? null : referenceAt,
    referenceAt,
    basis: options.never ? 'created' : 'last-used',
    idleDays,
    stale: idleDays >= (options.thresholdDays ?? THRESHOLD_DAYS),
  };
}

export function accessKey(
  slot: 1 | 2,
  idleDays: number,
  options: CredentialOptions & {
    active?: boolean;
    /** The IAM API names keys; a credential report does not (null, the default). */
    accessKeyId?: string;
    /** When the key was created (an instant); by default as long ago as it has been idle. */
    createdAt?: string;
  } = {},
): CredentialEntry {
  const referenceAt = new Date(daysBeforeEvaluation(idleDays));
  const active = options.active ?? true;
  return {
    type: 'access-key',
    accessKeyId: options.accessKeyId ?? null,
    slot,
    active,
    createdAt: new Date(options.createdAt ?? daysBeforeEvaluation(idleDays)),
    lastUsedAt: options.never ? null : referenceAt,
    referenceAt,
    basis: options.never ? 'created' : 'last-used',
    idleDays,
    stale: active && idleDays >= (options.thresholdDays ?? THRESHOLD_DAYS),
  };
}

function entry(userName: string, status: UserEntry['status'], credentials: CredentialEntry[]): UserEntry {
  const counted = credentials.filter((c) => c.type === 'password' || c.active === true);
  const idleDays = counted.length > 0 ? Math.min(...counted.map((c) => c.idleDays)) : null;
  return {
    userName,
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/${userName}`,
    createdAt: new Date('2021-01-19T02:00:14.000Z'),
    status,
    lastActivityAt: idleDays === null ? null : new Date(daysBeforeEvaluation(idleDays)),
    idleDays,
    credentials,
  };
}

/** Every credential that counts is older than the threshold. */
export function staleUser(userName: string, ...credentials: CredentialEntry[]): UserEntry {
  return entry(userName, 'stale', credentials.length > 0 ? credentials : [password(120)]);
}

/** At least one credential that counts is fresh; the others may be stale. */
export function activeUser(userName: string, ...credentials: CredentialEntry[]): UserEntry {
  return entry(userName, 'active', credentials.length > 0 ? credentials : [password(3)]);
}

export function noCredentialsUser(userName: string): UserEntry {
  return entry(userName, 'no-credentials', []);
}

export function errorUser(userName: string, error: string): UserEntry {
  return { ...entry(userName, 'error', []), createdAt: null, error };
}

export function summaryOf(users: readonly UserEntry[]): ReportSummary {
  const count = (status: UserEntry['status']) => users.filter((u) => u.status === status).length;
  return {
    users: users.length,
    stale: count('stale'),
    active: count('active'),
    noCredentials: count('no-credentials'),
    exempt: count('exempt'),
    errors: count('error'),
    activeWithStaleCredentials: users.filter(
      (u) => u.status === 'active' && u.credentials.some((c) => c.stale),
    ).length,
  };
}

export function buildReport(users: readonly UserEntry[], overrides: Partial<ScanReport> = {}): ScanReport {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: new Date('2026-11-28T00:00:04.120Z'),
    evaluatedAt: new Date(EVALUATED_AT),
    thresholdDays: THRESHOLD_DAYS,
    credentialScope: 'all',
    source: 'credential-report',
    accountId: ACCOUNT_ID,
    credentialReportGeneratedAt: new Date('2026-11-27T22:14:05.000Z'),
    partial: users.some((u) => u.status === 'error'),
    summary: summaryOf(users),
    users: [...users],
    deletedDuringScan: [],
    ...overrides,
  };
}

/** `user-00042-` padded with x to the 64 characters IAM allows, so tables are as wide as they get. */
export function longUserName(index: number): string {
  return `user-${String(index).padStart(5, '0')}-`.padEnd(64, 'x');
}
