import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  parseOrganizationReport,
  parseOrganizationSummary,
} from '../../../src/contracts/organization-report';
import { createRollUpHandler } from '../../../src/functions/rollup/handler';
import { InvalidInputError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { defaultSettingsEnvironment } from '../../support/function-environment';
import { BUCKET, RUN_NAME, account, accountReport, locationOf } from '../../support/organization-builders';
import { awsError, rejectionOf } from '../../support/rejection';
import { EVALUATED_AT, activeUser, password, staleUser } from '../../support/report-builder';
import { s3Body } from '../../support/s3-body';

const s3 = mockClient(S3Client);
const ENV = { ...defaultSettingsEnvironment('rollup'), REPORT_BUCKET: BUCKET };
const NOW = new Date('2026-11-28T00:12:00Z');
const FOLDER = 'runs/map-results/6dbfba93-6e4b-4c09-8d0e-1e3a4b5c6d7e/';
const A = account('111111111111', 'payments');
const B = account('222222222222', 'legacy');
const C = account('333333333333', 'lost');
const REPORT_A = accountReport(A.accountId, [staleUser('ren', password(200)), activeUser('mika')]);
const RUN = { name: RUN_NAME, evaluatedAt: EVALUATED_AT, thresholdDays: 90 };
const EVENT = {
  run: RUN,
  accounts: { bucket: BUCKET, key: `runs/${RUN_NAME}/accounts.json`, count: 3 },
  skipped: { key: `runs/${RUN_NAME}/skipped.json`, count: 0 },
  scan: {
    MapRunArn: 'arn:...:mapRun:x',
    ResultWriterDetails: { Bucket: BUCKET, Key: `${FOLDER}manifest.json` },
  },
};

function record(ref: typeof A, output: unknown) {
  return {
    Status: 'SUCCEEDED',
    Input: JSON.stringify({ account: ref, run: RUN }),
    Output: JSON.stringify(output),
  };
}

function serve(key: string, value: unknown) {
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: key }).callsFake(() => ({
    Body: s3Body(JSON.stringify(value)),
  }));
}

function put(key: string): string {
  const body = s3
    .commandCalls(PutObjectCommand)
    .map((c) => c.args[0].input)
    .find((input) => input.Key === key)?.Body;
  if (body === undefined) throw new Error(`nothing written to ${key}`);
  return typeof body === 'string' ? body : Buffer.from(body as Uint8Array).toString('utf8');
}

function handler() {
  return createRollUpHandler({ s3: new S3Client({}), clock: () => NOW, env: ENV });
}

beforeAll(() => logger.setLogLevel('SILENT'));

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
  serve(`runs/${RUN_NAME}/accounts.json`, [A, B, C]);
  serve(`runs/${RUN_NAME}/skipped.json`, [
    { accountId: '444444444444', name: 'old', reason: 'not-active', state: 'SUSPENDED' },
  ]);
  serve(`${FOLDER}manifest.json`, {
    ResultFiles: { SUCCEEDED: [{ Key: `${FOLDER}SUCCEEDED_0.json` }], FAILED: [], PENDING: [] },
  });
  serve(`${FOLDER}SUCCEEDED_0.json`, [
    record(A, { status: 'complete', account: A, report: locationOf(REPORT_A), summary: REPORT_A.summary }),
    record(B, { status: 'failed', account: B, error: { kind: 'role-unavailable', message: 'AccessDenied' } }),
  ]);
  serve(locationOf(REPORT_A).key, REPORT_A);
});

const KEY = 'reports/organization/2026/11/28/organization-2026-11-28T000000Z';

describe('rollup: the organisation report', () => {
  it('writes the report, its CSV and its summary, and returns where they are with the counts', async () => {
    const result = await handler()(EVENT, {} as never);

    expect(result.report).toEqual({
      bucket: BUCKET,
      key: `${KEY}.json`,
      csvKey: `${KEY}.csv`,
      summaryKey: `${KEY}.summary.json`,
    });
    expect(result.accounts).toEqual({ scanned: 3, complete: 1, partial: 0, failed: 2, skipped: 1 });
    expect(result.summary.users).toBe(2);
    const report = parseOrganizationReport(JSON.parse(put(`${KEY}.json`)), 'written');
    expect(report.generatedAt).toEqual(NOW);
    expect(report.accounts.map((a) => [a.accountId, a.status, a.errorKind ?? null])).toEqual([
      ['111111111111', 'complete', null],
      ['222222222222', 'failed', 'role-unavailable'],
      ['333333333333', 'failed', 'no-result'],
    ]);
    expect(report.users.map((u) => `${u.accountId}/${u.userName}`)).toEqual([
      '111111111111/ren',
      '111111111111/mika',
    ]);
    expect(put(`${KEY}.csv`).split('\n')[1]).toMatch(/^111111111111,payments,ren,/);
    const summary = parseOrganizationSummary(JSON.parse(put(`${KEY}.summary.json`)), 'summary');
    expect(summary.accounts).toEqual(report.accounts);
    expect(summary.skippedAccounts).toEqual(report.skippedAccounts);
  });

  it("refuses the map's word for a report outside the account's folder, and reports the account failed", async () => {
    const foreign = {
      ...locationOf(REPORT_A),
      key: locationOf({ accountId: B.accountId, evaluatedAt: REPORT_A.evaluatedAt }).key,
    };
    foreign.csvKey = foreign.key.replace(/\.json$/, '.csv');
    serve(`${FOLDER}SUCCEEDED_0.json`, [
      record(A, { status: 'complete', account: A, report: foreign, summary: REPORT_A.summary }),
    ]);

    await handler()(EVENT, {} as never);

    const report = parseOrganizationReport(JSON.parse(put(`${KEY}.json`)), 'written');
    expect(report.accounts[0]).toMatchObject({ status: 'failed', errorKind: 'report-unreadable' });
    expect(report.accounts[0]?.error).toContain('not in its folder');
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).not.toContain(foreign.key);
  });

  it('reads nothing from a bucket that is not its own', async () => {
    const error = await rejectionOf(
      handler()({ ...EVENT, accounts: { ...EVENT.accounts, bucket: 'someone-elses' } }, {} as never),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(`rollup reads reports from its own bucket ${BUCKET}, not someone-elses`);
    expect(s3.calls()).toHaveLength(0);
  });

  it('fails, writing no summary, when a result file is not what the ResultWriter writes', async () => {
    serve(`${FOLDER}SUCCEEDED_0.json`, { not: 'an array' });

    const error = await rejectionOf(handler()(EVENT, {} as never));

    expect(error.message).toContain('is not a JSON array');
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('gives up the report uploads when writing fails, and fails the step', async () => {
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u' });
    s3.on(AbortMultipartUploadCommand).resolves({});

    const error = await rejectionOf(handler()(EVENT, {} as never));

    expect(error.message).toContain('AccessDenied');
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).not.toContain(
      `${KEY}.summary.json`,
    );
  });
});
