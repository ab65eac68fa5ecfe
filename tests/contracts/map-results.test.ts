import { parseMapManifest, parseMapResultFile } from '../../src/contracts/map-results';
import { InvalidInputError } from '../../src/lib/errors';
import { thrownBy } from '../support/rejection';

/**
 * What the Distributed Map's ResultWriter leaves in S3 (Transformation NONE, OutputType JSON): a
 * manifest listing result files by child status, and files of execution records whose Input and
 * Output are JSON text. https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */

const FOLDER = 'runs/map-results/6dbfba93-6e4b-4c09-8d0e-1e3a4b5c6d7e/';
const RUN = { name: 'run-1', evaluatedAt: '2026-11-28T00:00:00.000Z', thresholdDays: 90 };
const A = { accountId: '111111111111', name: 'payments' };
const LOCATION = {
  bucket: 'reports-bucket',
  key: 'reports/111111111111/2026/11/28/scan-2026-11-28T000000Z.json',
  csvKey: 'reports/111111111111/2026/11/28/scan-2026-11-28T000000Z.csv',
};
const SUMMARY = {
  users: 2,
  stale: 1,
  active: 1,
  noCredentials: 0,
  exempt: 0,
  errors: 0,
  activeWithStaleCredentials: 0,
};

function record(output: unknown, overrides: Record<string, unknown> = {}) {
  return {
    ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:stale-iam-prod/ScanAccounts:7d4e',
    Input: JSON.stringify({ account: A, run: RUN }),
    InputDetails: { Included: true },
    Name: '7d4e',
    Output: JSON.stringify(output),
    OutputDetails: { Included: true },
    StartDate: '2026-11-28T00:00:01.000Z',
    StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:stale-iam-prod/ScanAccounts',
    Status: 'SUCCEEDED',
    StopDate: '2026-11-28T00:00:09.000Z',
    ...overrides,
  };
}

describe('parseMapManifest', () => {
  it('lists the result files of every status, beside the manifest', () => {
    const files = parseMapManifest(
      {
        DestinationBucket: 'reports-bucket',
        MapRunArn: 'arn:aws:states:us-east-1:123456789012:mapRun:stale-iam-prod/ScanAccounts:6dbf',
        ResultFiles: {
          FAILED: [{ Key: `${FOLDER}FAILED_0.json`, Size: 10 }],
          PENDING: [],
          SUCCEEDED: [
            { Key: `${FOLDER}SUCCEEDED_0.json`, Size: 10 },
            { Key: `${FOLDER}SUCCEEDED_1.json`, Size: 10 },
          ],
        },
      },
      `${FOLDER}manifest.json`,
    );

    expect(files).toEqual([
      { key: `${FOLDER}SUCCEEDED_0.json`, status: 'SUCCEEDED' },
      { key: `${FOLDER}SUCCEEDED_1.json`, status: 'SUCCEEDED' },
      { key: `${FOLDER}FAILED_0.json`, status: 'FAILED' },
    ]);
  });

  it.each(['reports/111111111111/x.json', `${FOLDER}../../secrets.json`, `${FOLDER}sub/SUCCEEDED_0.json`])(
    'refuses a manifest that points at %s',
    (Key) => {
      const error = thrownBy(() =>
        parseMapManifest({ ResultFiles: { SUCCEEDED: [{ Key }] } }, `${FOLDER}manifest.json`),
      );
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toContain('not a result file beside it');
    },
  );

  it('refuses a manifest without ResultFiles', () => {
    expect(() => parseMapManifest({}, `${FOLDER}manifest.json`)).toThrow(InvalidInputError);
  });
});

describe('parseMapResultFile', () => {
  const where = `s3://reports-bucket/${FOLDER}SUCCEEDED_0.json`;

  it('reads a scanned account, a failure scanMember returned and one the map caught', () => {
    const { outcomes, unattributed } = parseMapResultFile(
      [
        record({ status: 'complete', account: A, report: LOCATION, summary: SUMMARY }),
        record(
          {
            status: 'failed',
            account: { ...A, accountId: '222222222222' },
            error: { kind: 'access-denied', message: 'AccessDenied: no' },
          },
          { Input: JSON.stringify({ account: { ...A, accountId: '222222222222' }, run: RUN }) },
        ),
        record(
          {
            status: 'failed',
            account: { ...A, accountId: '333333333333' },
            error: { Error: 'States.Timeout', Cause: 'The task ScanMember ran longer than 960 seconds' },
          },
          { Input: JSON.stringify({ account: { ...A, accountId: '333333333333' }, run: RUN }) },
        ),
      ],
      where,
      'SUCCEEDED',
    );

    expect(unattributed).toEqual([]);
    expect(outcomes).toEqual([
      { status: 'complete', account: A, report: LOCATION, summary: SUMMARY },
      {
        status: 'failed',
        account: { ...A, accountId: '222222222222' },
        error: { kind: 'access-denied', message: 'AccessDenied: no' },
      },
      {
        status: 'failed',
        account: { ...A, accountId: '333333333333' },
        error: {
          kind: 'timed-out',
          message: 'States.Timeout: The task ScanMember ran longer than 960 seconds',
        },
      },
    ]);
  });

  it("takes the readable message out of a Lambda function error's Cause", () => {
    const cause = JSON.stringify({
      errorType: 'AwsWriteError',
      errorMessage: 'writing s3://b/k failed: AccessDenied',
      trace: [],
    });
    const { outcomes } = parseMapResultFile(
      [record({ status: 'failed', account: A, error: { Error: 'AwsWriteError', Cause: cause } })],
      where,
      'SUCCEEDED',
    );

    expect(outcomes[0]).toEqual({
      status: 'failed',
      account: A,
      error: { kind: 'failed', message: 'AwsWriteError: writing s3://b/k failed: AccessDenied' },
    });
  });

  it('turns a failed, timed-out or pending child execution into its account failure', () => {
    const failed = parseMapResultFile(
      [record(null, { Status: 'FAILED', Output: undefined, Error: 'States.Runtime', Cause: 'bad path' })],
      where,
      'FAILED',
    );
    const timedOut = parseMapResultFile(
      [record(null, { Status: 'TIMED_OUT', Output: undefined })],
      where,
      'FAILED',
    );
    const pending = parseMapResultFile(
      [record(null, { Status: 'PENDING', Output: undefined })],
      where,
      'PENDING',
    );

    expect(failed.outcomes[0]).toEqual({
      status: 'failed',
      account: A,
      error: { kind: 'failed', message: 'States.Runtime: bad path' },
    });
    expect(timedOut.outcomes[0]).toMatchObject({ status: 'failed', error: { kind: 'timed-out' } });
    expect(pending.outcomes[0]).toMatchObject({ status: 'failed', error: { kind: 'no-result' } });
  });

  it("makes an unreadable output that account's failure, and never another account's success", () => {
    const { outcomes } = parseMapResultFile(
      [
        record({
          status: 'complete',
          account: A,
          report: { ...LOCATION, key: 'audit/x.json' },
          summary: SUMMARY,
        }),
        record({
          status: 'complete',
          account: { ...A, accountId: '999999999999' },
          report: LOCATION,
          summary: SUMMARY,
        }),
        { ...record(null), Output: 'not json' },
      ],
      where,
      'SUCCEEDED',
    );

    expect(
      outcomes.map((o) => [o.account.accountId, o.status, o.status === 'failed' ? o.error.kind : '']),
    ).toEqual([
      ['111111111111', 'failed', 'failed'],
      ['111111111111', 'failed', 'failed'],
      ['111111111111', 'failed', 'failed'],
    ]);
    expect(outcomes[1]?.status === 'failed' && outcomes[1].error.message).toContain(
      'for account 999999999999',
    );
  });

  it('sets aside a record whose input names no account, and refuses a file that is not an array', () => {
    const { outcomes, unattributed } = parseMapResultFile(
      [record({}, { Input: JSON.stringify({ account: { accountId: 'x' } }) }), 'junk'],
      where,
      'SUCCEEDED',
    );

    expect(outcomes).toEqual([]);
    expect(unattributed).toHaveLength(2);
    expect(() => parseMapResultFile({}, where, 'SUCCEEDED')).toThrow('is not a JSON array');
  });
});
