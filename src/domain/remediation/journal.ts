import type { ActionRecord } from './execute';
import type { PlanBlock, RemediationAction, RemediationMode } from './plan';
import type { RecordReason } from './reasons';

/**
 * The write-ahead audit trail of the disable step (S3 in the service, a local JSON-lines file for
 * the CLI): every IAM write has an intent, durably recorded before the write is sent, and an
 * outcome after it. A run cut off between the two leaves an intent alone; a later run finds it,
 * records its outcome as unknown (check CloudTrail) and reports it.
 */

/** What is about to be done to one credential, recorded before the IAM write. */
export interface ActionIntent {
  /** 1, 2, ... within the run. */
  readonly seq: number;
  readonly time: string;
  readonly userName: string;
  readonly arn: string;
  readonly credential: ActionRecord['credential'];
  readonly action: RemediationAction;
  /** The credential's state as the re-check read it. */
  readonly before: ActionRecord['before'];
  /** The command that reverses the action once it is done. */
  readonly undo: string | null;
}

/** The port: written before and after each IAM write; either call throwing stops the run. */
export interface AuditJournal {
  intend(intent: ActionIntent): Promise<void>;
  settle(intent: ActionIntent, outcome: ActionRecord): Promise<void>;
}

/** An intent found in the trail with no outcome beside it, and the run that wrote it. */
export interface OrphanIntent {
  readonly runId: string;
  readonly intent: ActionIntent;
}

/**
 * No Lambda invocation lasts longer than 15 minutes: an intent older than that (and a margin) with
 * no outcome was left by a run that is over, not one still working on it.
 */
export const RUN_CERTAINLY_OVER_MS = 16 * 60_000;

/** Intents are looked for this far back: a run cut off is reported by the next runs within this window. */
export const ORPHAN_LOOKBACK_DAYS = 31;

/** The outcome a later run records for an orphan intent: unknown, with where to look. */
export function unknownOutcome(orphan: OrphanIntent, at: Date): ActionRecord {
  const { intent } = orphan;
  return {
    time: at.toISOString(),
    mode: 'enforce',
    userName: intent.userName,
    arn: intent.arn,
    credential: intent.credential,
    action: intent.action,
    outcome: 'outcome-unknown',
    reason: { code: 'outcome-unknown', runId: orphan.runId, intendedAt: intent.time },
    before: intent.before,
    // If the write did happen, this is how to reverse it.
    undo: intent.undo,
  };
}

/** A reason in English, stored beside the reason's data for people reading the trail. */
export type DescribeReason = (reason: RecordReason) => string;

/** What a run writes first in its record of every credential: the report and settings it ran on. */
export interface RunHeader {
  readonly mode: RemediationMode;
  /** The stored report the run acted on (the service); null for the CLI's own scan. */
  readonly report: { readonly key: string; readonly versionId: string } | null;
  /** Where the users were read from, when the run scanned them itself (the CLI). */
  readonly source?: string;
  readonly thresholdDays: number;
  readonly deactivateAccessKeys: boolean;
  readonly blocked: PlanBlock | null;
}

/**
 * The lines of the trail, one JSON object each, the same in S3 and in the CLI's file: a run header,
 * an intent before each IAM write, its outcome after, a record per credential considered.
 */
export function runEntry(runId: string, startedAt: Date, header: RunHeader): Record<string, unknown> {
  return { kind: 'run', runId, startedAt: startedAt.toISOString(), ...header };
}

export function intentEntry(runId: string, intent: ActionIntent): Record<string, unknown> {
  return { kind: 'intent', runId, ...intent };
}

export function outcomeEntry(
  runId: string,
  seq: number,
  record: ActionRecord,
  describe: DescribeReason,
): Record<string, unknown> {
  return { kind: 'outcome', runId, seq, ...record, reasonText: record.reason && describe(record.reason) };
}

export function recordEntry(record: ActionRecord, describe: DescribeReason): Record<string, unknown> {
  return { kind: 'record', ...record, reasonText: record.reason && describe(record.reason) };
}
