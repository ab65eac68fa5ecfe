import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MAX_HISTORY_ENTRY_BYTES, parseHistoryEntry } from '../../contracts/history-entry';
import { TREND_RUNS, type HistoryEntry } from '../../domain/visual-report/history';
import { HISTORY_KEY, historyKeyOf, historyPrefixOf } from '../../domain/visual-report/keys';
import { mapWithConcurrency } from '../../lib/concurrency';
import { AwsReadError, AwsWriteError, InvalidInputError, describeAwsError } from '../../lib/errors';

export interface S3HistoryStoreOptions {
  readonly bucket: string;
  readonly client?: S3Client;
}

export interface EarlierRuns {
  /** Valid entries of the runs before the given one, newest first. */
  readonly entries: HistoryEntry[];
  /** One line per object under the history prefix that was refused, and why. */
  readonly rejected: string[];
}

/** Entries read at once: a handful of small objects, never a burst of requests. */
const READ_CONCURRENCY = 4;

/**
 * The runs' history in S3, one object per run (keys.ts explains the key order):
 * - append is one PutObject to the run's own key. Two runs never share a key, so concurrent runs
 *   cannot overwrite each other, and a repeated run (a retried step) writes the same entry again.
 * - reading is one ListObjectsV2 (StartAfter = this run's key: only earlier runs, newest first,
 *   at most `limit`), then one GetObject per entry. Each entry is validated (parseHistoryEntry);
 *   a tampered or corrupt one is refused and reported, never drawn, and never stops the others.
 * - S3's lifecycle rule for the bucket expires entries with the reports they point to.
 */
export class S3HistoryStore {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor({ bucket, client = new S3Client({}) }: S3HistoryStoreOptions) {
    this.bucket = bucket;
    this.client = client;
  }

  /** Writes the entry of one run; returns its key. */
  async append(entry: HistoryEntry): Promise<string> {
    const key = historyKeyOf(entry.reportKey);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: JSON.stringify(entry),
          ContentType: 'application/json',
        }),
      );
    } catch (error) {
      throw new AwsWriteError(`writing s3://${this.bucket}/${key} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
    return key;
  }

  /** The runs before the one whose report is at `reportKey`, newest first. */
  async earlierRuns(reportKey: string, limit = TREND_RUNS - 1): Promise<EarlierRuns> {
    const prefix = historyPrefixOf(reportKey);
    let keys: string[];
    try {
      const listed = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          StartAfter: historyKeyOf(reportKey),
          MaxKeys: limit,
        }),
      );
      keys = (listed.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
    } catch (error) {
      throw new AwsReadError(`listing s3://${this.bucket}/${prefix} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
    const rejected = keys.filter((k) => !HISTORY_KEY.test(k)).map((k) => `${k}: not a history key`);
    const read = await mapWithConcurrency(
      keys.filter((k) => HISTORY_KEY.test(k)),
      READ_CONCURRENCY,
      (key) => this.read(key),
    );
    const entries: HistoryEntry[] = [];
    for (const result of read) {
      if (result === null) continue;
      if ('rejected' in result) rejected.push(result.rejected);
      else entries.push(result.entry);
    }
    return { entries, rejected };
  }

  /** One entry, a rejection, or null when it is gone (expired between the listing and the read). */
  private async read(key: string): Promise<{ entry: HistoryEntry } | { rejected: string } | null> {
    let text: string;
    try {
      // One byte more than an entry may have: enough to tell a too-large object, never a download of it.
      const { Body } = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${MAX_HISTORY_ENTRY_BYTES}` }),
      );
      text = (await Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if (error instanceof Error && error.name === 'NoSuchKey') return null;
      // A range of an empty object cannot be satisfied: an empty object is no entry either.
      if (error instanceof Error && error.name === 'InvalidRange') return { rejected: `${key}: empty` };
      throw new AwsReadError(`reading s3://${this.bucket}/${key} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
    if (Buffer.byteLength(text, 'utf8') > MAX_HISTORY_ENTRY_BYTES) {
      return { rejected: `${key}: larger than ${MAX_HISTORY_ENTRY_BYTES} bytes, which no history entry is` };
    }
    try {
      return { entry: parseHistoryEntry(JSON.parse(text) as unknown, key) };
    } catch (error) {
      if (error instanceof SyntaxError) return { rejected: `${key}: not JSON` };
      if (error instanceof InvalidInputError) return { rejected: error.message };
      throw error;
    }
  }
}
