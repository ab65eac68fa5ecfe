import { z } from 'zod';
import {
  accountFailure,
  failedOutcome,
  type AccountScanOutcome,
} from '../domain/organization/account-outcome';
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

export interface MapResults {
  readonly outcomes: AccountScanOutcome[];
  /** Records that name no account that can be read: they cannot be attributed, only logged. */
  readonly unattributed: string[];
}

/**
 * The outcomes in one result file. A record whose input cannot be read names no account and is
 * set aside (the roll-up then reports that account as having no result); a record whose output
 * cannot be read, or names another account than its input, is that account's failure.
 */
export function parseMapResultFile(json: unknown, where: string, status: ResultFileStatus): MapResults {
  if (!Array.isArray(json)) throw new InvalidInputError(`the map result file ${where} is not a JSON array`);
  const outcomes: AccountScanOutcome[] = [];
  const unattributed: string[] = [];
  json.forEach((raw, index) => {
    const at = `${where} record ${index}`;
    let record: z.output<typeof recordSchema>;
    let account;
    try {
      record = parseWith(recordSchema, raw, at);
      account = parseMemberScanEvent(parseJsonText(record.Input, `${at} Input`)).account;
    } catch (error) {
      unattributed.push(error instanceof Error ? error.message : String(error));
      return;
    }
    outcomes.push(outcomeOfRecord(record, account, at, status));
  });
  return { outcomes, unattributed };
}

function outcomeOfRecord(
  record: z.output<typeof recordSchema>,
  account: { accountId: string; name: string },
  at: string,
  fileStatus: ResultFileStatus,
): AccountScanOutcome {
  if (fileStatus === 'PENDING') {
    return failedOutcome(
      account,
      accountFailure('no-result', 'the map run ended before this account was scanned'),
    );
  }
  if (record.Status !== 'SUCCEEDED') {
    if (record.Status === 'TIMED_OUT') {
      return failedOutcome(account, accountFailure('timed-out', 'the child execution timed out'));
    }
    if (record.Error !== undefined)
      return failedOutcome(account, failureOfStepError({ Error: record.Error, Cause: record.Cause }));
    return failedOutcome(account, accountFailure('failed', `the child execution ended ${record.Status}`));
  }
  try {
    const outcome = parseAccountScanResult(
      parseJsonText(record.Output ?? '', `${at} Output`),
      `${at} Output`,
    );
    if (outcome.account.accountId !== account.accountId) {
      return failedOutcome(
        account,
        accountFailure(
          'failed',
          `the map returned a result for account ${outcome.account.accountId} as this account's`,
        ),
      );
    }
    return outcome;
  } catch (error) {
    return failedOutcome(
      account,
      accountFailure(
        'failed',
        `the map returned an unreadable result: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
}
