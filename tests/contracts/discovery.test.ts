import {
  parseAccountList,
  parseDiscoverEvent,
  parseRollUpEvent,
  parseSkippedList,
} from '../../src/contracts/discovery';
import { parseMemberScanEvent } from '../../src/contracts/member-scan';
import { InvalidInputError } from '../../src/lib/errors';
import { thrownBy } from '../support/rejection';

const RUN = {
  name: '5e0b4c1a-8f7e-4c4d-9a41-2b1f0c9d7e21',
  evaluatedAt: '2026-11-28T00:00:00.000Z',
  thresholdDays: 90,
};

function rollUpEvent(overrides: Record<string, unknown> = {}) {
  return {
    run: RUN,
    accounts: { bucket: 'reports-bucket', key: `runs/${RUN.name}/accounts.json`, count: 2 },
    skipped: { key: `runs/${RUN.name}/skipped.json`, count: 0 },
    scan: {
      MapRunArn: 'arn:aws:states:us-east-1:123456789012:mapRun:stale-iam-prod/ScanAccounts:6dbf',
      ResultWriterDetails: {
        Bucket: 'reports-bucket',
        Key: 'runs/map-results/6dbfba93-6e4b-4c09-8d0e-1e3a4b5c6d7e/manifest.json',
      },
    },
    ...overrides,
  };
}

describe('the inputs of the organisation steps', () => {
  it('gives discover the execution name and its start as a Date', () => {
    expect(parseDiscoverEvent({ executionName: RUN.name, startTime: '2026-11-28T00:00:00.123Z' })).toEqual({
      executionName: RUN.name,
      startTime: new Date('2026-11-28T00:00:00.123Z'),
    });
  });

  it.each([
    ['a name with a slash', { executionName: 'a/b', startTime: RUN.evaluatedAt }],
    ['a name too long', { executionName: 'x'.repeat(81), startTime: RUN.evaluatedAt }],
    ['no start time', { executionName: RUN.name }],
    ['a start time that is not an instant', { executionName: RUN.name, startTime: 'yesterday' }],
  ])('refuses a discover input with %s', (_what, event) => {
    expect(thrownBy(() => parseDiscoverEvent(event))).toBeInstanceOf(InvalidInputError);
  });

  it('gives scanMember its account and the run, the instant as a Date', () => {
    const event = parseMemberScanEvent({ account: { accountId: '111122223333', name: 'legacy' }, run: RUN });

    expect(event.run.evaluatedAt).toEqual(new Date(RUN.evaluatedAt));
    expect(event.account.accountId).toBe('111122223333');
  });

  it.each([
    ['an account id of 11 digits', { account: { accountId: '11112222333', name: 'x' }, run: RUN }],
    [
      'a threshold of 0',
      { account: { accountId: '111122223333', name: 'x' }, run: { ...RUN, thresholdDays: 0 } },
    ],
    ['an extra field', { account: { accountId: '111122223333', name: 'x', role: 'admin' }, run: RUN }],
  ])('refuses a scanMember input with %s', (_what, event) => {
    expect(thrownBy(() => parseMemberScanEvent(event))).toBeInstanceOf(InvalidInputError);
  });

  it("gives the roll-up the run's account lists and the map's manifest", () => {
    expect(parseRollUpEvent(rollUpEvent())).toMatchObject({
      accountsKey: `runs/${RUN.name}/accounts.json`,
      skippedKey: `runs/${RUN.name}/skipped.json`,
      manifestKey: 'runs/map-results/6dbfba93-6e4b-4c09-8d0e-1e3a4b5c6d7e/manifest.json',
      buckets: ['reports-bucket', 'reports-bucket'],
    });
  });

  it.each([
    [
      'account lists of another run',
      rollUpEvent({ accounts: { bucket: 'reports-bucket', key: 'runs/other/accounts.json', count: 1 } }),
    ],
    [
      'a manifest elsewhere',
      rollUpEvent({
        scan: { ResultWriterDetails: { Bucket: 'reports-bucket', Key: 'reports/x/manifest.json' } },
      }),
    ],
    [
      'a manifest climbing out',
      rollUpEvent({
        scan: {
          ResultWriterDetails: { Bucket: 'reports-bucket', Key: 'runs/map-results/../x/manifest.json' },
        },
      }),
    ],
    ['no map result', rollUpEvent({ scan: undefined })],
  ])('refuses a roll-up input with %s', (_what, event) => {
    expect(thrownBy(() => parseRollUpEvent(event))).toBeInstanceOf(InvalidInputError);
  });
});

describe('the account lists in S3', () => {
  it('reads the map items and the skipped accounts', () => {
    expect(parseAccountList([{ accountId: '111122223333', name: 'legacy' }], 'k')).toEqual([
      { accountId: '111122223333', name: 'legacy' },
    ]);
    expect(
      parseSkippedList(
        [{ accountId: '111122223333', name: 'old', reason: 'not-active', state: 'SUSPENDED' }],
        'k',
      ),
    ).toHaveLength(1);
  });

  it.each([
    [
      'an account twice',
      [
        { accountId: '111122223333', name: 'a' },
        { accountId: '111122223333', name: 'b' },
      ],
    ],
    ['not an array', { accountId: '111122223333', name: 'a' }],
    ['an account without a name', [{ accountId: '111122223333' }]],
  ])('refuses a list with %s', (_what, json) => {
    expect(thrownBy(() => parseAccountList(json, 's3://b/runs/r/accounts.json')).message).toContain(
      's3://b/runs/r/accounts.json',
    );
  });
});
