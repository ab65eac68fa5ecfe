import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3HistoryStore } from '../../src/adapters/s3/history-store';
import { S3ReportStore } from '../../src/adapters/s3/report-store';
import { MAX_HISTORY_ENTRY_BYTES } from '../../src/contracts/history-entry';
import { historyKeyOf } from '../../src/domain/visual-report/keys';
import { createRenderHandler } from '../../src/functions/render/handler';
import { logger } from '../../src/lib/logger';
import { lambdaContext } from '../support/lambda-context';
import { activeUser, buildReport, password, staleUser } from '../support/report-builder';
import { clientConfig } from './support/aws';
import { describeWithEmulator, useMoto } from './support/moto';

/**
 * The render function's S3 side against a real implementation of the S3 wire protocol (moto):
 * the history key order with ListObjectsV2 StartAfter, ranged reads, refused objects, and the
 * page written beside the report, over three runs.
 */

const BUCKET = 'stale-iam-emulator-reports';
const DAY_MS = 86_400_000;

describeWithEmulator('render and its history against the emulator', () => {
  const moto = useMoto();
  const s3 = () => new S3Client(clientConfig(moto.current.endpoint));

  beforeAll(async () => {
    logger.setLogLevel('SILENT');
    await s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  /** A run: its report saved as the scan saves it, then the render handler. */
  async function run(day: number, users: ReturnType<typeof staleUser>[]) {
    const evaluatedAt = new Date(Date.parse('2026-11-01T00:00:00Z') + day * DAY_MS);
    const location = await new S3ReportStore({ bucket: BUCKET, client: s3() }).save(
      buildReport(users, { evaluatedAt, generatedAt: evaluatedAt }),
    );
    const render = createRenderHandler({ s3: s3(), env: { REPORT_BUCKET: BUCKET } });
    const page = await render({ report: location }, lambdaContext());
    const { Body } = await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: page.key }));
    return { location, page, html: (await Body?.transformToString()) ?? '' };
  }

  it('keeps one entry per run, lists the earlier runs newest first, and draws them on the next page', async () => {
    const first = await run(0, [staleUser('ann'), activeUser('bob')]);
    const second = await run(7, [staleUser('ann'), staleUser('bob', password(95))]);
    // A corrupt object, an oversized one and a stray one in the history folder: each refused, none drawn.
    await s3().send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: historyKeyOf(first.location.key).replace(/\d{10}-/, '8999999999-'),
        Body: '{',
      }),
    );
    await s3().send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'history/123456789012/8888888888-2026-01-01T000000Z.json',
        Body: 'x'.repeat(MAX_HISTORY_ENTRY_BYTES * 4),
      }),
    );
    const third = await run(14, [staleUser('ann'), activeUser('bob', password(1))]);

    const { Contents } = await s3().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'history/' }));
    expect(Contents?.map((o) => o.Key)).toEqual([
      historyKeyOf(third.location.key),
      historyKeyOf(second.location.key),
      historyKeyOf(first.location.key),
      'history/123456789012/8888888888-2026-01-01T000000Z.json',
      'history/123456789012/8999999999-2026-11-01T000000Z.json',
    ]);

    const earlier = await new S3HistoryStore({ bucket: BUCKET, client: s3() }).earlierRuns(
      third.location.key,
    );
    expect(earlier.entries.map((e) => e.reportKey)).toEqual([second.location.key, first.location.key]);
    expect(earlier.rejected).toEqual([
      expect.stringContaining('8888888888-2026-01-01T000000Z.json'),
      expect.stringContaining('8999999999-2026-11-01T000000Z.json'),
    ]);

    expect(third.page.key).toBe(third.location.key.replace(/\.json$/, '.html'));
    expect(third.html).toContain('Compared with the run evaluated at 2026-11-08T00:00:00.000Z.');
    expect(third.html).toMatch(/No longer stale \(1\)<\/h3>.*<td>bob<\/td>/s);
    expect(third.html).toContain('2 history entries were ignored because they are not valid');
  });

  it('writes the same entry again when a run is repeated, and lists nothing after the oldest run', async () => {
    const key = 'reports/123456789012/2026/10/01/scan-2026-10-01T000000Z.json';
    const before = await new S3HistoryStore({ bucket: BUCKET, client: s3() }).earlierRuns(key);
    expect(before.entries).toEqual([]);

    const again = await run(14, [staleUser('ann'), activeUser('bob', password(1))]);
    const { Contents } = await s3().send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: historyKeyOf(again.location.key) }),
    );
    expect(Contents).toHaveLength(1);
  });
});
