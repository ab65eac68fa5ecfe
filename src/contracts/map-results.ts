import { z } from 'zod';
import {
  accountFailure,
  failedOutcome,
  type AccountFailure,
  type AccountScanOutcome,
} from '../domain/organization/account-outcome';
import type { AccountRef } from '../domain/organization/accounts';
import { InvalidInputError } from '../lib/errors';
import { failureOfStepError, parseAccountScanResult, parseMemberScanEvent } from './member-scan';
import { parseJsonText, parseWith } from './validation';

/**
 * What a Distributed Map's ResultWriter leaves in S3, read back by the roll-up: `manifest.json`,
 * which lists the result files by the status of their child executions, and the result files,
 * each a JSON array with one record per child execution (Input and Output as JSON text). Step
 * Functions writes them, but they sit in a bucket: they are checked like any other input.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */

export type ResultFileStatus = 'SUCCEEDED' | 'FAILED' | 'PENDING';

export interface ResultFile {
  readonly key: string;
  readonly status: ResultFileStatus;
}

const fileList = z.array(z.object({ Key: z.string().min(1) })).default([]);

const manifestSchema = z.object({
  ResultFiles: z.object({ SUCCEEDED: fileList, FAILED: fileList, PENDING: fileList }),
});

/**
 * The result files a manifest lists, each checked to be beside the manifest (under the folder the
 * map run wrote to): a manifest pointing elsewhere in the bucket is refused.
 */
export function parseMapManifest(json: unknown, manifestKey: string): ResultFile[] {
  const manifest = parseWith(manifestSchema, json, `the map manifest ${manifestKey}`);
  const folder = manifestKey.slice(0, manifestKey.lastIndexOf('/') + 1);
  const files: ResultFile[] = [];
  for (const status of ['SUCCEEDED', 'FAILED', 'PENDING'] as const) {
    for (const { Key } of manifest.ResultFiles[status]) {
      if (!Key.startsWith(folder) || Key.slice(folder.length).includes('/') || Key.includes('..')) {
        throw new InvalidInputError(
          `the map manifest ${manifestKey} lists ${JSON.stringify(Key)}, which is not a result file beside it`,
        );
      }
      files.push({ key: Key, status });
    }
  }
  return files;
}

const recordSchema = z.object({
  Status: z.string(),
  Input: z.string(),
  Output: z.string().optional(),
  Error: z.string().optional(),
  Cause: z.string().optional(),
});

/**
 * How the results of one kind of map item read: the account an item's input names, the outcome
 * its output holds (checked whole), and the outcome that stands for a failure of the item.
 */
export interface MapItemKind<T extends { readonly account: AccountRef }> {
  readonly accountOf: (input: unknown) => AccountRef;
  readonly outcomeOf: (output: unknown, where: string) => T;
  readonly failed: (account: AccountRef, failure: AccountFailure) => T;
}

/** The scan map's items: one account's scan each (scanMember's input and result). */
export const ACCOUNT_SCANS: MapItemKind<AccountScanOutcome> = {
  accountOf: (input) => parseMemberScanEvent(input).account,
  outcomeOf: parseAccountScanResult,
  failed: failedOutcome,
};

export interface MapResults<T> {
  readonly outcomes: T[];
  /** Records that name no account that can be read: they cannot be attributed, only logged. */
  readonly unattributed: string[];
}

/**
 * The outcomes in one result file of the scan map (see readMapResultFile).
 */
export function parseMapResultFile(
  json: unknown,
  where: string,
  status: ResultFileStatus,
): MapResults<AccountScanOutcome> {
  return readMapResultFile(json, where, status, ACCOUNT_SCANS);
}

/**
 * The outcomes in one result file. A record whose input cannot be read names no account and is
 * set aside (the reader then reports that account as having no result); a record whose output
 * cannot be read, or names another account than its input, is that account's failure.
 */
export function readMapResultFile<T extends { readonly account: AccountRef }>(
  json: unknown,
  where: string,
  status: ResultFileStatus,
  kind: MapItemKind<T>,
): MapResults<T> {
  if (!Array.isArray(json)) throw new InvalidInputError(`the map result file ${where} is not a JSON array`);
  const outcomes: T[] = [];
  const unattributed: string[] = [];
  json.forEach((raw, index) => {
    const at = `${where} record ${index}`;
    let record: z.output<typeof recordSchema>;
    let account;
    try {
      record = parseWith(recordSchema, raw, at);
      account = kind.accountOf(parseJsonText(record.Input, `${at} Input`));
    } catch (error) {
      unattributed.push(error instanceof Error ? error.message : String(error));
      return;
    }
    outcomes.push(outcomeOfRecord(record, account, at, status, kind));
  });
  return { outcomes, unattributed };
}

function outcomeOfRecord<T extends { readonly account: AccountRef }>(
  record: z.output<typeof recordSchema>,
  account: AccountRef,
  at: string,
  fileStatus: ResultFileStatus,
  kind: MapItemKind<T>,
): T {
  const failed = (failure: AccountFailure) => kind.failed(account, failure);
  if (fileStatus === 'PENDING') {
    return failed(accountFailure('no-result', 'the map run ended before this account was reached'));
  }
  if (record.Status !== 'SUCCEEDED') {
    if (record.Status === 'TIMED_OUT') {
      return failed(accountFailure('timed-out', 'the child execution timed out'));
    }
    if (record.Error !== undefined)
      return failed(failureOfStepError({ Error: record.Error, Cause: record.Cause }));
    return failed(accountFailure('failed', `the child execution ended ${record.Status}`));
  }
  try {
    const outcome = kind.outcomeOf(parseJsonText(record.Output ?? '', `${at} Output`), `${at} Output`);
    if (outcome.account.accountId !== account.accountId) {
      return failed(
        accountFailure(
          'failed',
          `the map returned a result for account ${outcome.account.accountId} as this account's`,
        ),
      );
    }
    return outcome;
  } catch (error) {
    return failed(
      accountFailure(
        'failed',
        `the map returned an unreadable result: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
}
