import { z } from 'zod';
import { REMEDIATION_MODES } from '../domain/remediation/plan';
import { CREDENTIAL_SCOPES } from '../domain/verdict/evaluate';
import { HISTORY_SCHEMA_VERSION, type HistoryEntry } from '../domain/visual-report/history';
import {
  ORGANIZATION_HISTORY,
  historyKeyOf,
  isRenderedReportKey,
  runInstantOf,
} from '../domain/visual-report/keys';
import { InvalidInputError } from '../lib/errors';
import { count, instant, summarySchema, thresholdDays } from './stored-report';

/**
 * A history entry read back from S3 (history/<account>/... or history/organization/...), validated whole: anyone who can
 * write to the bucket can write anything there. Besides its shape, an entry must agree with
 * itself (its counts add up) and with where it was found: the key it is stored under is the one
 * its own report key gives, so an entry cannot pose as another run or another account.
 */

/** An entry is a few hundred bytes; anything much larger is not one of ours. */
export const MAX_HISTORY_ENTRY_BYTES = 16 * 1024;

const entry = z
  .object({
    schemaVersion: z.literal(HISTORY_SCHEMA_VERSION),
    reportKey: z.string().refine(isRenderedReportKey, 'not a report key the scan or the roll-up writes'),
    evaluatedAt: instant,
    accountId: z
      .string()
      .regex(/^\d{12}$/)
      .nullable(),
    thresholdDays,
    credentialScope: z.enum(CREDENTIAL_SCOPES),
    partial: z.boolean(),
    summary: summarySchema,
    staleCredentials: count,
    remediation: z
      .object({ mode: z.enum(REMEDIATION_MODES), disabled: count, failed: count, blocked: z.boolean() })
      .strict()
      .nullable(),
  })
  .strict();

/** The entry stored at `key` (JSON already parsed), or InvalidInputError naming the first problem. */
export function parseHistoryEntry(json: unknown, key: string): HistoryEntry {
  const where = `history entry ${key}`;
  const parsed = entry.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : 'the entry';
    throw new InvalidInputError(`${where} is not valid: ${path}: ${issue?.message}`);
  }
  const result = parsed.data as HistoryEntry;
  const problem = inconsistency(result, key);
  if (problem) throw new InvalidInputError(`${where} is not consistent: ${problem}`);
  return result;
}

function inconsistency(e: HistoryEntry, key: string): string | null {
  let expectedKey: string;
  let runAt: Date;
  try {
    expectedKey = historyKeyOf(e.reportKey);
    runAt = runInstantOf(e.reportKey);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (expectedKey !== key) return `its report key ${e.reportKey} belongs under ${expectedKey}`;
  // An organisation report names no account of its own (its accounts are in it).
  const folder = historyKeyOf(e.reportKey).split('/')[1];
  const expectedFolder =
    e.accountId ?? (folder === ORGANIZATION_HISTORY ? ORGANIZATION_HISTORY : 'unknown-account');
  if (expectedFolder !== folder) return `accountId ${e.accountId} does not match its report key`;
  if (Math.floor(e.evaluatedAt.getTime() / 1000) !== runAt.getTime() / 1000) {
    return `evaluatedAt ${e.evaluatedAt.toISOString()} is not the time of its report key`;
  }
  const s = e.summary;
  const byStatus = s.stale + s.active + s.noCredentials + s.exempt + s.errors;
  if (byStatus !== s.users) return `summary.users is ${s.users}, but the statuses add up to ${byStatus}`;
  if (s.activeWithStaleCredentials > s.active)
    return 'more active users hold a stale credential than there are active users';
  if (e.staleCredentials < s.stale + s.activeWithStaleCredentials) {
    return `staleCredentials is ${e.staleCredentials}, fewer than the users holding one`;
  }
  if (s.errors > 0 && !e.partial) return `${s.errors} user(s) could not be evaluated, but partial is false`;
  return null;
}
