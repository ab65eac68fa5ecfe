import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3HistoryStore } from '../../../src/adapters/s3/history-store';
import { MAX_HISTORY_ENTRY_BYTES } from '../../../src/contracts/history-entry';
import { TREND_RUNS, historyEntryOf } from '../../../src/domain/visual-report/history';
import { historyKeyOf } from '../../../src/domain/visual-report/keys';
import { AwsReadError, AwsWriteError } from '../../../src/lib/errors';
import { buildReport, staleUser } from '../../support/report-builder';
import { awsError, rejectionOf } from '../../support/rejection';
import { s3Body } from '../../support/s3-body';

const BUCKET = 'reports-bucket';
const reportKey = (day: number) =>
  `reports/123456789012/2026/11/${String(day).padStart(2, '0')}/scan-2026-11-${String(day).padStart(2, '0')}T000000Z.json`;
const entryOf = (day: number, stale: number) =>
  historyEntryOf(
    buildReport(
      Array.from({ length: stale }, (_, i) => staleUser(`u${i}`)),
      { evaluatedAt: new Date(`2026-11-${String(day).padStart(2, '0')}T00:00:00Z`) },
    ),
    reportKey(day),
    undefined,
  );

const s3 = mockClient(S3Client);
const store = () => new S3HistoryStore({ bucket: BUCKET, client: new S3Client({}) });

/** The bucket holds these objects (key -> body); GetObject answers from it, NoSuchKey otherwise. */
function bucketHolds(objects: Record<string, string>, listed = Object.keys(objects)) {
  s3.on(ListObjectsV2Command).resolves({ Contents: listed.map((Key) => ({ Key })), KeyCount: listed.length });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const body = objects[input.Key];
    if (body === undefined) throw awsError('NoSuchKey', 'The specified key does not exist.');
    if (body === '') throw awsError('InvalidRange', 'The requested range is not satisfiable');
    return { Body: s3Body(body) };
  });
}

beforeEach(() => s3.reset());

describe('S3HistoryStore.append', () => {
  it("writes one small JSON object under the run's own key", async () => {
    s3.on(PutObjectCommand).resolves({});
    const entry = entryOf(28, 2);

    const key = await store().append(entry);

    expect(key).toBe(historyKeyOf(reportKey(28)));
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ Bucket: BUCKET, Key: key, ContentType: 'application/json' });
    expect(JSON.parse(String(put?.Body))).toMatchObject({ reportKey: reportKey(28), summary: { stale: 2 } });
  });

  it('writes the same object again for a repeated run: nothing is duplicated', async () => {
    s3.on(PutObjectCommand).resolves({});
    await store().append(entryOf(28, 2));
    await store().append(entryOf(28, 2));

    const [first, second] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(second?.Key).toBe(first?.Key);
    expect(second?.Body).toBe(first?.Body);
  });

  it('reports a failed write as AwsWriteError', async () => {
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    const error = await rejectionOf(store().append(entryOf(28, 2)));
    expect(error).toBeInstanceOf(AwsWriteError);
    expect(error.message).toContain('AccessDenied');
  });
});

describe('S3HistoryStore.earlierRuns', () => {
  it('lists only the runs before this one, newest first, in one request', async () => {
    bucketHolds({
      [historyKeyOf(reportKey(21))]: JSON.stringify(entryOf(21, 5)),
      [historyKeyOf(reportKey(14))]: JSON.stringify(entryOf(14, 4)),
    });

    const { entries, rejected } = await store().earlierRuns(reportKey(28));

    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: BUCKET,
        Prefix: 'history/123456789012/',
        StartAfter: historyKeyOf(reportKey(28)),
        MaxKeys: TREND_RUNS - 1,
      },
    ]);
    expect(entries.map((e) => [e.evaluatedAt.toISOString().slice(0, 10), e.summary.stale])).toEqual([
      ['2026-11-21', 5],
      ['2026-11-14', 4],
    ]);
    expect(rejected).toEqual([]);
  });

  it('reads at most one byte more than an entry may have', async () => {
    bucketHolds({ [historyKeyOf(reportKey(21))]: JSON.stringify(entryOf(21, 5)) });
    await store().earlierRuns(reportKey(28));
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input.Range).toBe(
      `bytes=0-${MAX_HISTORY_ENTRY_BYTES}`,
    );
  });

  it('refuses tampered, corrupt, oversized, empty and stray objects, each with its reason, and keeps the valid ones', async () => {
    const moved = historyKeyOf(reportKey(20));
    const tampered = {
      ...JSON.parse(JSON.stringify(entryOf(19, 1))),
      summary: { ...entryOf(19, 1).summary, stale: 900 },
    };
    bucketHolds({
      [historyKeyOf(reportKey(21))]: JSON.stringify(entryOf(21, 5)),
      [moved]: JSON.stringify(entryOf(14, 4)),
      [historyKeyOf(reportKey(19))]: JSON.stringify(tampered),
      [historyKeyOf(reportKey(18))]: '{"schemaVersion":1,',
      [historyKeyOf(reportKey(17))]: 'x'.repeat(MAX_HISTORY_ENTRY_BYTES + 1),
      [historyKeyOf(reportKey(16))]: '',
      'history/123456789012/notes.txt': 'hello',
    });

    const { entries, rejected } = await store().earlierRuns(reportKey(28));

    expect(entries.map((e) => e.reportKey)).toEqual([reportKey(21)]);
    expect(rejected).toEqual([
      'history/123456789012/notes.txt: not a history key',
      expect.stringContaining(
        `history entry ${moved} is not consistent: its report key ${reportKey(14)} belongs under`,
      ),
      expect.stringMatching(
        /^history entry .*2026-11-19T000000Z\.json is not consistent: summary\.users is 1, but the statuses add up to 900$/,
      ),
      `${historyKeyOf(reportKey(18))}: not JSON`,
      `${historyKeyOf(reportKey(17))}: larger than ${MAX_HISTORY_ENTRY_BYTES} bytes, which no history entry is`,
      `${historyKeyOf(reportKey(16))}: empty`,
    ]);
  });

  it('skips an entry that expired between the listing and the read', async () => {
    bucketHolds({ [historyKeyOf(reportKey(21))]: JSON.stringify(entryOf(21, 5)) }, [
      historyKeyOf(reportKey(21)),
      historyKeyOf(reportKey(14)),
    ]);

    const { entries, rejected } = await store().earlierRuns(reportKey(28));

    expect(entries).toHaveLength(1);
    expect(rejected).toEqual([]);
  });

  it('starts an empty history without an error', async () => {
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    expect(await store().earlierRuns(reportKey(28))).toEqual({ entries: [], rejected: [] });
  });

  it('fails with AwsReadError when S3 cannot be listed or read', async () => {
    s3.on(ListObjectsV2Command).rejects(awsError('AccessDenied', 'Access Denied'));
    expect(await rejectionOf(store().earlierRuns(reportKey(28)))).toBeInstanceOf(AwsReadError);

    s3.reset();
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: historyKeyOf(reportKey(21)) }] });
    s3.on(GetObjectCommand).rejects(awsError('SlowDown', 'Please reduce your request rate.'));
    const error = await rejectionOf(store().earlierRuns(reportKey(28)));
    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toContain('SlowDown');
  });
});
