import { GetObjectCommand, PutObjectCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { parseIntentEntry } from '../../contracts/audit-entry';
import {
  AUDIT_ENTRY_KEY,
  AUDIT_RECORDS_FILE,
  auditAccountPrefix,
  auditDayPrefix,
  auditEntryName,
  auditRunPrefix,
  stampInstant,
} from '../../domain/report/object-keys';
import type { ActionRecord } from '../../domain/remediation/execute';
import {
  ORPHAN_LOOKBACK_DAYS,
  RUN_CERTAINLY_OVER_MS,
  intentEntry,
  outcomeEntry,
  recordEntry,
  runEntry,
  type ActionIntent,
  type AuditJournal,
  type DescribeReason,
  type OrphanIntent,
  type RunHeader,
} from '../../domain/remediation/journal';
import { DAY_MS } from '../../domain/verdict/threshold';
import { AwsReadError, AwsWriteError, InvalidInputError, describeAwsError } from '../../lib/errors';

export interface S3AuditTrailOptions {
  readonly bucket: string;
  readonly client: S3Client;
  readonly accountId: string;
  /** The run's start: it names the run's folder. */
  readonly runAt: Date;
  /** Tells apart runs started in the same second (the Lambda request id). */
  readonly runId: string;
  /** With Object Lock on the bucket: each object is kept, in governance mode, this many days. */
  readonly lockDays: number | null;
  /** A reason in English, stored beside the reason's data for people reading S3. */
  readonly describe: DescribeReason;
}

/** An orphan intent and the run folder it was found in. */
export interface StoredOrphan extends OrphanIntent {
  readonly folder: string;
}

/**
 * The disable step's write-ahead audit trail in S3, one folder per run (see auditRunPrefix): an
 * intent object before each IAM write, an outcome object after it, `records.jsonl` at the end.
 * Every object is written with `If-None-Match: *`, so nothing is ever overwritten (S3 answers 412
 * PreconditionFailed instead), and with an explicit length (an empty body would otherwise make
 * the SDK warn about streams of unknown length in the function's logs).
 */
export class S3AuditTrail implements AuditJournal {
  readonly runPrefix: string;

  constructor(private readonly options: S3AuditTrailOptions) {
    this.runPrefix = auditRunPrefix(options.accountId, options.runAt, options.runId);
  }

  get recordsKey(): string {
    return `${this.runPrefix}${AUDIT_RECORDS_FILE}`;
  }

  async intend(intent: ActionIntent): Promise<void> {
    await this.putNew(`${this.runPrefix}${auditEntryName(intent.seq, 'intent')}`, [
      intentEntry(this.options.runId, intent),
    ]);
  }

  async settle(intent: ActionIntent, outcome: ActionRecord): Promise<void> {
    await this.putNew(`${this.runPrefix}${auditEntryName(intent.seq, 'outcome')}`, [
      outcomeEntry(this.options.runId, intent.seq, outcome, this.options.describe),
    ]);
  }

  /** Every credential the run considered, after a header naming the report and the settings it ran on. */
  async writeRecords(records: readonly ActionRecord[], header: RunHeader): Promise<void> {
    await this.putNew(this.recordsKey, [
      runEntry(this.options.runId, this.options.runAt, header),
      ...records.map((r) => recordEntry(r, this.options.describe)),
    ]);
  }

  /**
   * Intents of earlier runs (the last ORPHAN_LOOKBACK_DAYS days) that have no outcome, from runs
   * that are certainly over: each was cut off between recording its intent and its outcome.
   */
  async findOrphans(now: Date): Promise<StoredOrphan[]> {
    const { bucket, client, accountId } = this.options;
    const folders = new Map<
      string,
      { runId: string; startedAt: Date | null; intents: Set<string>; outcomes: Set<string> }
    >();
    const listing = paginateListObjectsV2(
      { client },
      {
        Bucket: bucket,
        Prefix: auditAccountPrefix(accountId),
        StartAfter: auditDayPrefix(accountId, new Date(now.getTime() - ORPHAN_LOOKBACK_DAYS * DAY_MS)),
      },
    );
    try {
      for await (const page of listing) {
        for (const { Key } of page.Contents ?? []) {
          const m = AUDIT_ENTRY_KEY.exec(Key ?? '');
          if (!m?.[1] || m[1] === this.runPrefix) continue;
          const folder = folders.get(m[1]) ?? {
            runId: m[3] ?? '',
            startedAt: stampInstant(m[2] ?? ''),
            intents: new Set<string>(),
            outcomes: new Set<string>(),
          };
          folders.set(m[1], folder);
          if (m[4] && m[5] === 'intent') folder.intents.add(m[4]);
          if (m[4] && m[5] === 'outcome') folder.outcomes.add(m[4]);
        }
      }
    } catch (error) {
      throw new AwsReadError(
        `listing the audit trail s3://${bucket}/${auditAccountPrefix(accountId)} failed: ${describeAwsError(error)}`,
        { cause: error },
      );
    }
    const orphans: StoredOrphan[] = [];
    for (const [prefix, folder] of folders) {
      const over =
        folder.startedAt !== null && now.getTime() - folder.startedAt.getTime() > RUN_CERTAINLY_OVER_MS;
      if (!over) continue;
      for (const seq of [...folder.intents].sort()) {
        if (folder.outcomes.has(seq)) continue;
        const intent = await this.readIntent(`${prefix}${seq}-intent.json`);
        orphans.push({ runId: folder.runId, intent, folder: prefix });
      }
    }
    return orphans;
  }

  /**
   * Records the outcome of an orphan intent in the folder of the run that wrote it. False when an
   * outcome is there already (another run settled it first, If-None-Match): nothing to report then.
   */
  async settleOrphan(orphan: StoredOrphan, outcome: ActionRecord): Promise<boolean> {
    try {
      await this.putNew(`${orphan.folder}${auditEntryName(orphan.intent.seq, 'outcome')}`, [
        {
          ...outcomeEntry(orphan.runId, orphan.intent.seq, outcome, this.options.describe),
          settledBy: this.options.runId,
        },
      ]);
      return true;
    } catch (error) {
      if (error instanceof AuditObjectExists) return false;
      throw error;
    }
  }

  private async readIntent(key: string): Promise<ActionIntent> {
    const where = `s3://${this.options.bucket}/${key}`;
    let text: string;
    try {
      const { Body } = await this.options.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: key }),
      );
      text = (await Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      throw new AwsReadError(`reading the intent ${where} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
    const parsed = parseIntentEntry(firstLine(text));
    if (!parsed.ok) {
      throw new InvalidInputError(
        `the audit trail holds an intent that cannot be read, ${where}: ${parsed.problem}`,
      );
    }
    return parsed.intent;
  }

  private async putNew(key: string, entries: readonly Record<string, unknown>[]): Promise<void> {
    const { bucket, client, lockDays, runAt } = this.options;
    await putNewAuditObject({
      client,
      bucket,
      key,
      body: entries.map((e) => JSON.stringify(e)).join('\n') + '\n',
      contentType: 'application/x-ndjson',
      lockUntil: lockDays !== null ? new Date(runAt.getTime() + lockDays * DAY_MS) : null,
    });
  }
}

/**
 * Writes an audit object that did not exist (`If-None-Match: *`: S3 answers 412 PreconditionFailed
 * rather than overwrite anything, and this throws AuditObjectExists), with an explicit length (an
 * empty body would otherwise make the SDK warn about streams of unknown length), locked in
 * governance mode until `lockUntil` when the bucket has Object Lock. Returns the version S3 gave it.
 */
export async function putNewAuditObject(object: {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
  readonly lockUntil: Date | null;
}): Promise<string | undefined> {
  const { client, bucket, key, body, contentType, lockUntil } = object;
  try {
    const { VersionId } = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentLength: Buffer.byteLength(body, 'utf8'),
        ContentType: contentType,
        IfNoneMatch: '*',
        ...(lockUntil !== null ? { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: lockUntil } : {}),
      }),
    );
    return VersionId;
  } catch (error) {
    if (isPreconditionFailed(error)) {
      throw new AuditObjectExists(
        `the audit object s3://${bucket}/${key} exists already; it is never overwritten`,
        {
          cause: error,
        },
      );
    }
    throw new AwsWriteError(
      `writing the audit trail s3://${bucket}/${key} failed: ${describeAwsError(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** S3 refused a write because the key exists (If-None-Match: *): nothing was overwritten. */
export class AuditObjectExists extends AwsWriteError {
  override name = 'AuditObjectExists';
}

function isPreconditionFailed(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return error instanceof Error && (error.name === 'PreconditionFailed' || status === 412);
}

/** The first JSON line of an object, or null when it is not JSON. */
function firstLine(text: string): unknown {
  try {
    return JSON.parse(text.trim().split('\n')[0] ?? '');
  } catch {
    return null;
  }
}
