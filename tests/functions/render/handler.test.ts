import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { RenderEvent } from '../../../src/contracts/render-event';
import { createRenderHandler } from '../../../src/functions/render/handler';
import { historyEntryOf } from '../../../src/domain/visual-report/history';
import { historyKeyOf } from '../../../src/domain/visual-report/keys';
import { InvalidConfigError, InvalidInputError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { asOrganisation, asStoredOrganisation, dryRunOver } from '../../../tools/fakes/visual-report-input';
import { lambdaContext } from '../../support/lambda-context';
import { LOCATION, activeUser, buildReport, password, staleUser } from '../../support/report-builder';
import { awsError, rejectionOf } from '../../support/rejection';
import { s3Body } from '../../support/s3-body';

const BUCKET = LOCATION.bucket;
const HTML_KEY = LOCATION.key.replace(/\.json$/, '.html');
const PREVIOUS_KEY = 'reports/123456789012/2026/11/21/scan-2026-11-21T000000Z.json';
const PREVIOUS = buildReport([activeUser('ann', password(80)), staleUser('bob', password(200))], {
  evaluatedAt: new Date('2026-11-21T00:00:00Z'),
});
const CURRENT = buildReport([staleUser('ann', password(95)), activeUser('bob', password(1))]);

const s3 = mockClient(S3Client);
const handler = () => createRenderHandler({ s3: new S3Client({}), env: { REPORT_BUCKET: BUCKET } });

function bucketHolds(objects: Record<string, unknown>) {
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    if (!(input.Key in objects)) throw awsError('NoSuchKey', 'The specified key does not exist.');
    return { Body: s3Body(JSON.stringify(objects[input.Key])) };
  });
  const history = Object.keys(objects).filter((k) => k.startsWith('history/'));
  s3.on(ListObjectsV2Command).resolves({
    Contents: history.map((Key) => ({ Key })),
    KeyCount: history.length,
  });
  s3.on(PutObjectCommand).resolves({});
}

function written(key: string): { Body?: unknown; ContentType?: string } {
  const input = s3
    .commandCalls(PutObjectCommand)
    .map((c) => c.args[0].input)
    .find((i) => i.Key === key);
  if (!input) throw new Error(`nothing was written to ${key}`);
  return input;
}

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => s3.reset());

describe('render handler', () => {
  it('writes the page beside the report, appends this run to the history, and says where the page is', async () => {
    bucketHolds({
      [LOCATION.key]: CURRENT,
      [PREVIOUS_KEY]: PREVIOUS,
      [historyKeyOf(PREVIOUS_KEY)]: historyEntryOf(PREVIOUS, PREVIOUS_KEY, undefined),
    });

    const result = await handler()({ report: LOCATION, remediation: dryRunOver(CURRENT) }, lambdaContext());

    expect(result).toEqual({ bucket: BUCKET, key: HTML_KEY });
    const page = written(HTML_KEY);
    expect(page.ContentType).toBe('text/html; charset=utf-8');
    const html = String(page.Body);
    expect(html).toContain('Compared with the run evaluated at 2026-11-21T00:00:00.000Z.');
    expect(html).toMatch(/Newly stale \(1\)<\/h3>.*<td>ann<\/td>/s);
    expect(html).toMatch(
      /No longer stale \(1\)<\/h3>.*<td>bob<\/td><td>password<\/td><td>1<\/td><td>used again<\/td>/s,
    );
    expect(html).toContain('Would be disabled in this run (dry run) (1)');

    const entry = JSON.parse(String(written(historyKeyOf(LOCATION.key)).Body)) as Record<string, unknown>;
    expect(entry).toMatchObject({
      reportKey: LOCATION.key,
      summary: { stale: 1 },
      remediation: { mode: 'dry-run', disabled: 1 },
    });
  });

  it('makes the first page of a history without a comparison', async () => {
    bucketHolds({ [LOCATION.key]: CURRENT });

    await handler()({ report: LOCATION }, lambdaContext());

    const html = String(written(HTML_KEY).Body);
    expect(html).toContain('There is no earlier run to compare with.');
    expect(html).toContain('The history starts with this run');
    expect(html).toContain('The disable step is not deployed');
  });

  it('draws no refused history entry, and says on the page which were refused and why', async () => {
    const tampered = { ...historyEntryOf(PREVIOUS, PREVIOUS_KEY, undefined), accountId: '999999999999' };
    bucketHolds({
      [LOCATION.key]: CURRENT,
      [PREVIOUS_KEY]: PREVIOUS,
      [historyKeyOf(PREVIOUS_KEY)]: tampered,
    });

    await handler()({ report: LOCATION }, lambdaContext());

    const html = String(written(HTML_KEY).Body);
    expect(html).toContain('1 history entry was ignored because it is not valid');
    expect(html).toContain('accountId 999999999999 does not match its report key');
    expect(html).toContain('There is no earlier run to compare with.');
  });

  it("compares nothing when the previous run's report is gone, and says so", async () => {
    bucketHolds({
      [LOCATION.key]: CURRENT,
      [historyKeyOf(PREVIOUS_KEY)]: historyEntryOf(PREVIOUS, PREVIOUS_KEY, undefined),
    });

    await handler()({ report: LOCATION }, lambdaContext());

    expect(String(written(HTML_KEY).Body)).toContain(
      `The previous run&#39;s report could not be read, so nothing is compared: report s3://${BUCKET}/${PREVIOUS_KEY} does not exist`,
    );
  });

  it('refuses a report from another bucket, an invalid remediation summary and a missing bucket setting, writing nothing', async () => {
    bucketHolds({ [LOCATION.key]: CURRENT });

    const other = await rejectionOf(
      handler()({ report: { ...LOCATION, bucket: 'elsewhere' } }, lambdaContext()),
    );
    expect(other).toBeInstanceOf(InvalidInputError);
    expect(other.message).toBe(`render reads reports from its own bucket ${BUCKET}, not elsewhere`);

    const summary = { ...dryRunOver(CURRENT), mode: 'destroy' };
    const invalid = await rejectionOf(
      handler()({ report: LOCATION, remediation: summary } as never, lambdaContext()),
    );
    expect(invalid).toBeInstanceOf(InvalidInputError);
    expect(invalid.message).toContain(
      'render: the remediation field is not a valid remediation summary: mode',
    );

    const unset = createRenderHandler({ s3: new S3Client({}), env: {} });
    expect(await rejectionOf(unset({ report: LOCATION }, lambdaContext()))).toBeInstanceOf(
      InvalidConfigError,
    );

    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('refuses a report that fails validation, writing neither history nor page', async () => {
    bucketHolds({
      [LOCATION.key]: { ...JSON.parse(JSON.stringify(CURRENT)), summary: { ...CURRENT.summary, stale: 9 } },
    });

    const error = await rejectionOf(handler()({ report: LOCATION }, lambdaContext()));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('summary.stale is 9');
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });
});

describe('render handler in an organisation run', () => {
  const ORG = 'reports/organization/2026/11/28/organization-2026-11-28T000000Z';
  const PREVIOUS_ORG = 'reports/organization/2026/11/21/organization-2026-11-21T000000Z';
  // The plan step's output as render receives it: the handler takes whatever the state passes.
  const event = (key: string): RenderEvent =>
    ({
      run: { name: 'r', evaluatedAt: '2026-11-28T00:00:00.000Z', thresholdDays: 90 },
      report: { bucket: BUCKET, key: `${key}.json`, csvKey: `${key}.csv`, summaryKey: `${key}.summary.json` },
      // What the plan step adds: not a single account's summary, and not read by render.
      remediation: { mode: 'enforce', planned: 0 },
    }) as unknown as RenderEvent;

  it("writes the organisation report's page beside it, with the accounts, and keeps the organisation's own history", async () => {
    const current = asStoredOrganisation(CURRENT);
    const previous = asStoredOrganisation(PREVIOUS);
    const previousEntry = historyEntryOf(
      asOrganisation({ ...PREVIOUS, evaluatedAt: new Date('2026-11-21T00:00:00Z') }),
      `${PREVIOUS_ORG}.json`,
      undefined,
    );
    bucketHolds({
      [`${ORG}.json`]: current,
      [`${PREVIOUS_ORG}.json`]: { ...previous, evaluatedAt: '2026-11-21T00:00:00.000Z' },
      [historyKeyOf(`${PREVIOUS_ORG}.json`)]: previousEntry,
    });

    const result = await handler()(event(ORG), lambdaContext());

    expect(result).toEqual({ bucket: BUCKET, key: `${ORG}.html` });
    const html = String(written(`${ORG}.html`).Body);
    expect(html).toContain('production');
    expect(html).toContain('333333333333');
    expect(html).toContain('Compared with the run evaluated at 2026-11-21T00:00:00.000Z.');
    expect(historyKeyOf(`${ORG}.json`)).toMatch(/^history\/organization\/\d{10}-2026-11-28T000000Z\.json$/);
    const entry = JSON.parse(String(written(historyKeyOf(`${ORG}.json`)).Body)) as Record<string, unknown>;
    expect(entry).toMatchObject({ reportKey: `${ORG}.json`, accountId: null, remediation: null });
    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input.Prefix).toBe('history/organization/');
  });

  it('refuses an organisation report that does not hold together, and writes no page', async () => {
    const tampered = { ...JSON.parse(JSON.stringify(asStoredOrganisation(CURRENT))), partial: false };
    bucketHolds({ [`${ORG}.json`]: tampered });

    const error = await rejectionOf(handler()(event(ORG), lambdaContext()));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('partial is false');
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
  });
});
