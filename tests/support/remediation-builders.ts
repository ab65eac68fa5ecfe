import type { ActionRecord } from '../../src/domain/remediation/execute';
import type { ActionOutcome, PlanBlock, RemediationSettings } from '../../src/domain/remediation/plan';
import type { RecordReason } from '../../src/domain/remediation/reasons';
import { SETTINGS } from '../../src/settings/table';
import type { RemediationSummary } from '../../src/domain/remediation/summary';
import type { CredentialEntry, UserEntry } from '../../src/domain/report/scan-report';
import { ACCOUNT_ID, EVALUATED_AT, THRESHOLD_DAYS, daysBeforeEvaluation, staleUser } from './report-builder';

/**
 * Report entries the remediation tests need beyond report-builder's: keys with an id (api source)
 * or only a creation instant (credential report), exempt users, and summaries as disable hands
 * them to notify.
 */

const DAY_MS = 86_400_000;

/** The disable run, five minutes after the scan it reads. */
export const RUN_AT = new Date('2026-11-28T00:05:12.345Z');

/** The Lambda request id of the disable run in handler tests (lambda-context's). */
export const RUN_ID = '8f5a3c1e-0d4b-4c59-9b0e-6a1f2e3d4c5b';

/** Where that run keeps its audit trail, and its record of every credential. */
export const AUDIT_RUN_PREFIX = `audit/${ACCOUNT_ID}/2026/11/28/disable-2026-11-28T000512Z-${RUN_ID}/`;
export const AUDIT_RECORDS_KEY = `${AUDIT_RUN_PREFIX}records.jsonl`;

const defaultOf = <T>(setting: { default: string; parse: (raw: unknown, label: string) => T }): T =>
  setting.parse(setting.default, 'the default');

/** The service's plan settings with every deploy parameter at its default (the settings table's), in enforce. */
export const SERVICE_DEFAULTS: RemediationSettings = {
  mode: 'enforce',
  deletePasswords: true,
  deactivateAccessKeys: false,
  maxActions: defaultOf(SETTINGS.maxActionsPerRun),
  maxPercent: defaultOf(SETTINGS.maxPercent),
  minEnforceDays: defaultOf(SETTINGS.minEnforceDays),
};

export function daysBefore(instant: Date | string, days: number): Date {
  return new Date(new Date(instant).getTime() - days * DAY_MS);
}

interface KeyOptions {
  /** Creation instant; defaults to two years before the evaluation. */
  createdAt?: string;
  active?: boolean;
  /** Never used: the reference is the creation. */
  never?: boolean;
}

/** An access key as the api source reports it: with its id. */
export function keyWithId(
  slot: 1 | 2,
  accessKeyId: string,
  idleDays: number,
  options: KeyOptions = {},
): CredentialEntry {
  return key(slot, accessKeyId, idleDays, options);
}

/** An access key as a credential report gives it: a slot and a creation instant, no id. */
export function reportKey(
  slot: 1 | 2,
  createdAt: string,
  idleDays: number,
  options: Omit<KeyOptions, 'createdAt'> = {},
): CredentialEntry {
  return key(slot, null, idleDays, { ...options, createdAt });
}

function key(
  slot: 1 | 2,
  accessKeyId: string | null,
  idleDays: number,
  options: KeyOptions,
): CredentialEntry {
  const active = options.active ?? true;
  const createdAt = new Date(options.createdAt ?? daysBeforeEvaluation(730));
  const referenceAt = options.never ? createdAt : new Date(daysBeforeEvaluation(idleDays));
  return {
    type: 'access-key',
    accessKeyId,
    slot,
    active,
    createdAt,
    lastUsedAt: options.never ? null : referenceAt,
    referenceAt,
    basis: options.never ? 'created' : 'last-used',
    idleDays,
    stale: active && idleDays >= THRESHOLD_DAYS,
  };
}

/** A user the scan reported as exempt, holding the given (possibly stale) credentials. */
export function exemptUser(userName: string, reason: string, ...credentials: CredentialEntry[]): UserEntry {
  return { ...staleUser(userName, ...credentials), status: 'exempt', exemptReason: reason };
}

export function arnOf(userName: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:user/${userName}`;
}

/** The instant a credential last referenced `idleDays` before the evaluation crosses the threshold. */
export function staleDateOf(idleDays: number): string {
  return new Date(Date.parse(EVALUATED_AT) + (THRESHOLD_DAYS - idleDays) * DAY_MS).toISOString().slice(0, 10);
}

type SummaryItem = RemediationSummary['items'][number];

export function summaryItem(
  userName: string,
  outcome: ActionOutcome,
  reason: RecordReason | null = null,
  credential = 'password',
): SummaryItem {
  const accessKeyId = credential.startsWith('access key ') ? credential.slice('access key '.length) : null;
  return {
    userName,
    credential: accessKeyId
      ? { type: 'access-key', accessKeyId, slot: null }
      : { type: 'password', accessKeyId: null, slot: null },
    outcome,
    reason,
  };
}

/** A summary as the disable step returns it, counts derived from the items unless given. */
export function remediationSummary(overrides: Partial<RemediationSummary> = {}): RemediationSummary {
  const items = overrides.items ?? [];
  const counts: Partial<Record<ActionOutcome, number>> = {};
  for (const item of items) counts[item.outcome] = (counts[item.outcome] ?? 0) + 1;
  return {
    mode: 'enforce',
    deactivateAccessKeys: false,
    auditKey: AUDIT_RECORDS_KEY,
    blocked: null,
    belowFloor: null,
    counts,
    items,
    itemsOmitted: 0,
    ...overrides,
  };
}

/** The one record for a user (and key), failing the test when there is none or more than one. */
export function recordFor(
  records: readonly ActionRecord[],
  userName: string,
  accessKeyId?: string,
): ActionRecord {
  const found = records.filter(
    (r) => r.userName === userName && (accessKeyId === undefined || r.credential.accessKeyId === accessKeyId),
  );
  if (found.length !== 1) {
    throw new Error(`expected one record for ${userName}, got ${found.length}: ${JSON.stringify(records)}`);
  }
  const [record] = found;
  if (!record) throw new Error('unreachable');
  return record;
}

/** A plan refused by the share cap: `affected` of `holders` would lose a password, `allowed` may (20%). */
export function capShare(
  affected: number,
  holders: number,
  allowed: number,
  credential: 'password' | 'access-key' = 'password',
): PlanBlock {
  return { code: 'cap-share', credential, affected, holders, allowed, maxPercent: 20 };
}
