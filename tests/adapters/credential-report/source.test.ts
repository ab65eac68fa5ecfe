import { CredentialReportSource, MAX_REGENERATIONS } from '../../../src/adapters/credential-report/source';
import { AwsReadError } from '../../../src/lib/errors';
import {
  startFakeIam,
  type FakeFault,
  type FakeIam,
  type FakeIamOptions,
  type FakeRequest,
} from '../../../tools/fakes/fake-iam-server';
import { loopbackIamClient } from '../../support/loopback-iam-client';
import { rejectionOf } from '../../support/rejection';

/**
 * The credential report source against the loopback IAM endpoint, through the real SDK client:
 * the faults arrive as IAM sends them (wire code and HTTP status from the API reference) and are
 * parsed by the SDK into its exception classes. Waits are recorded, never slept.
 *
 * The clients make one attempt per call (maxAttempts 1): the SDK itself retries LimitExceeded as
 * throttling and ServiceFailure as transient, which would hide what the source does on top.
 */
let fake: FakeIam | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function clientFor(options: FakeIamOptions, maxAttempts = 1) {
  fake = await startFakeIam(options);
  return loopbackIamClient(fake.endpoint, maxAttempts);
}

/** A sleep that only writes down how long it was asked to wait. */
function recordedSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

const total = (waits: readonly number[]) => waits.reduce((sum, ms) => sum + ms, 0);

function callsByAction(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { action } of fake?.requests ?? []) counts[action] = (counts[action] ?? 0) + 1;
  return counts;
}

const actions = () => fake?.requests.map((r) => r.action);

const FAULTS = {
  LimitExceeded: { status: 409, code: 'LimitExceeded', message: 'Report generation limit exceeded' },
  ReportInProgress: { status: 404, code: 'ReportInProgress', message: 'Report is still being generated' },
  ReportNotPresent: { status: 410, code: 'ReportNotPresent', message: 'Report does not exist' },
  ReportExpired: { status: 410, code: 'ReportExpired', message: 'Report has expired' },
} satisfies Record<string, FakeFault>;

/** Answers the first `times` calls of `action` with `fault` (Infinity: every call). */
function faultFirst(action: string, fault: FakeFault, times: number) {
  let seen = 0;
  return (request: FakeRequest): FakeFault | undefined => {
    if (request.action !== action) return undefined;
    seen++;
    return seen <= times ? fault : undefined;
  };
}

const created = new Date('2024-01-01T00:00:00Z');
const alice = { name: 'alice', createdAt: created, loginProfile: { createdAt: created } };

describe('CredentialReportSource', () => {
  describe('IAM calls', () => {
    it('makes 2 calls when a report under 4 hours old exists', async () => {
      const client = await clientFor({
        users: [alice],
        reportPollsBeforeComplete: 0,
        reportGeneratedAt: new Date('2026-11-27T22:00:00Z'),
      });
      const { waits, sleep } = recordedSleep();

      const inventory = await new CredentialReportSource({ client, sleep }).read({ scope: 'all' });

      expect(callsByAction()).toEqual({ GenerateCredentialReport: 1, GetCredentialReport: 1 });
      expect(waits).toEqual([]);
      expect(inventory.users.map((r) => r.user.userName)).toEqual(['alice']);
      expect(inventory.accountId).toBe('123456789012');
      expect(inventory.credentialReportGeneratedAt).toEqual(new Date('2026-11-27T22:00:00Z'));
    });

    it('makes 3 calls, waiting 2 s once, when the report takes one poll', async () => {
      const client = await clientFor({ users: [alice], reportPollsBeforeComplete: 1 });
      const { waits, sleep } = recordedSleep();

      const inventory = await new CredentialReportSource({ client, sleep }).read({ scope: 'all' });

      expect(actions()).toEqual([
        'GenerateCredentialReport',
        'GenerateCredentialReport',
        'GetCredentialReport',
      ]);
      expect(waits).toEqual([2000]);
      expect(inventory.users.map((r) => r.user.userName)).toEqual(['alice']);
    });
  });

  describe('LimitExceeded on GenerateCredentialReport', () => {
    it('waits with growing delays and generates again until IAM accepts', async () => {
      const client = await clientFor({
        users: [alice],
        reportPollsBeforeComplete: 0,
        intercept: faultFirst('GenerateCredentialReport', FAULTS.LimitExceeded, 2),
      });
      const { waits, sleep } = recordedSleep();

      const inventory = await new CredentialReportSource({ client, sleep }).read({ scope: 'all' });

      expect(callsByAction()).toEqual({ GenerateCredentialReport: 3, GetCredentialReport: 1 });
      expect(waits).toEqual([2000, 4000]);
      expect(inventory.users.map((r) => r.user.userName)).toEqual(['alice']);
    });

    it('fails on one line, naming the wait and the last answer, once maxWaitMs is spent', async () => {
      const client = await clientFor({
        users: [alice],
        intercept: faultFirst('GenerateCredentialReport', FAULTS.LimitExceeded, Infinity),
      });
      const { waits, sleep } = recordedSleep();

      const read = new CredentialReportSource({ client, sleep, maxWaitMs: 60_000 }).read({ scope: 'all' });

      await expect(read).rejects.toThrow(
        new AwsReadError(
          'the credential report was not ready after 60 s (last answer: LimitExceeded); try again later',
        ),
      );
      expect(waits).toEqual([2000, 4000, 8000, 15000, 15000, 15000, 1000]);
      expect(total(waits)).toBeLessThanOrEqual(60_000);
      expect(callsByAction()).toEqual({ GenerateCredentialReport: 8 });
    });
  });

  describe('ReportInProgress on GetCredentialReport', () => {
    it('waits and gets the report again, without regenerating it', async () => {
      const client = await clientFor({
        users: [alice],
        reportPollsBeforeComplete: 0,
        intercept: faultFirst('GetCredentialReport', FAULTS.ReportInProgress, 2),
      });
      const { waits, sleep } = recordedSleep();

      const inventory = await new CredentialReportSource({ client, sleep }).read({ scope: 'all' });

      expect(callsByAction()).toEqual({ GenerateCredentialReport: 1, GetCredentialReport: 3 });
      expect(waits).toEqual([2000, 4000]);
      expect(inventory.users.map((r) => r.user.userName)).toEqual(['alice']);
    });

    it('fails on one line after the default three minutes of waiting when it never clears', async () => {
      const client = await clientFor({
        users: [alice],
        reportPollsBeforeComplete: 0,
        intercept: faultFirst('GetCredentialReport', FAULTS.ReportInProgress, Infinity),
      });
      const { waits, sleep } = recordedSleep();

      const read = new CredentialReportSource({ client, sleep }).read({ scope: 'all' });

      await expect(read).rejects.toThrow(
        'the credential report was not ready after 180 s (last answer: ReportInProgress); try again later',
      );
      expect(total(waits)).toBe(180_000);
      expect(Math.max(...waits)).toBe(15_000);
      expect(callsByAction().GenerateCredentialReport).toBe(1);
    });
  });

  describe.each([['ReportExpired' as const], ['ReportNotPresent' as const]])(
    '%s on GetCredentialReport',
    (code) => {
      it('generates the report again, then gets it', async () => {
        const client = await clientFor({
          users: [alice],
          reportPollsBeforeComplete: 0,
          intercept: faultFirst('GetCredentialReport', FAULTS[code], 1),
        });
        const { waits, sleep } = recordedSleep();

        const inventory = await new CredentialReportSource({ client, sleep }).read({ scope: 'all' });

        expect(actions()).toEqual([
          'GenerateCredentialReport',
          'GetCredentialReport',
          'GenerateCredentialReport',
          'GetCredentialReport',
        ]);
        expect(waits).toEqual([]);
        expect(inventory.users.map((r) => r.user.userName)).toEqual(['alice']);
      });

      it('stops regenerating after a bounded number of times and fails on one line', async () => {
        const client = await clientFor({
          users: [alice],
          reportPollsBeforeComplete: 0,
          intercept: faultFirst('GetCredentialReport', FAULTS[code], Infinity),
        });
        const { waits, sleep } = recordedSleep();

        const read = new CredentialReportSource({ client, sleep }).read({ scope: 'all' });

        await expect(read).rejects.toThrow(
          `the credential report was not ready after ${MAX_REGENERATIONS} regenerations and 0 s ` +
            `(last answer: ${code}); try again later`,
        );
        expect(callsByAction()).toEqual({
          GenerateCredentialReport: MAX_REGENERATIONS + 1,
          GetCredentialReport: MAX_REGENERATIONS + 1,
        });
        expect(waits).toEqual([]);
      });
    },
  );

  it('keeps one wait budget across a regeneration: delays keep growing and the total stays within maxWaitMs', async () => {
    // Get: ReportInProgress twice, then ReportExpired; the regeneration then meets LimitExceeded.
    const counts = new Map<string, number>();
    const client = await clientFor({
      users: [alice],
      reportPollsBeforeComplete: 0,
      intercept: ({ action }) => {
        const n = (counts.get(action) ?? 0) + 1;
        counts.set(action, n);
        if (action === 'GetCredentialReport') return n <= 2 ? FAULTS.ReportInProgress : FAULTS.ReportExpired;
        return n >= 2 ? FAULTS.LimitExceeded : undefined;
      },
    });
    const { waits, sleep } = recordedSleep();

    const read = new CredentialReportSource({ client, sleep, maxWaitMs: 20_000 }).read({ scope: 'all' });

    await expect(read).rejects.toThrow(
      'the credential report was not ready after 20 s (last answer: LimitExceeded); try again later',
    );
    expect(waits).toEqual([2000, 4000, 8000, 6000]);
    expect(actions()).toEqual([
      'GenerateCredentialReport',
      'GetCredentialReport',
      'GetCredentialReport',
      'GetCredentialReport',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
    ]);
  });

  describe('shouldStop', () => {
    it('stops waiting as soon as the run says it is about to time out', async () => {
      const client = await clientFor({
        users: [alice],
        reportPollsBeforeComplete: 0,
        intercept: faultFirst('GetCredentialReport', FAULTS.ReportInProgress, Infinity),
      });
      const { waits, sleep } = recordedSleep();
      const shouldStop = () => waits.length >= 2;

      const read = new CredentialReportSource({ client, sleep }).read({ scope: 'all', shouldStop });

      await expect(read).rejects.toThrow(
        new AwsReadError('stopped waiting for the credential report: the run is about to time out'),
      );
      expect(waits).toEqual([2000, 4000]);
      expect(callsByAction()).toEqual({ GenerateCredentialReport: 1, GetCredentialReport: 3 });
    });

    it('gives up on a call in flight at the hard stop, saying why', async () => {
      const hardStop = new AbortController();
      let release = () => undefined as void;
      const held = new Promise<undefined>((resolve) => {
        release = () => resolve(undefined);
      });
      const client = await clientFor({
        users: [alice],
        reportPollsBeforeComplete: 0,
        intercept: ({ action }) => {
          if (action !== 'GetCredentialReport') return undefined;
          hardStop.abort();
          return held;
        },
      });

      const read = new CredentialReportSource({ client, sleep: recordedSleep().sleep }).read({
        scope: 'all',
        abortSignal: hardStop.signal,
      });

      const error = await rejectionOf(read);
      release();
      expect(error).toBeInstanceOf(AwsReadError);
      expect(error.message).toBe('stopped waiting for the credential report: the run is about to time out');
    });

    it('still reads a report that needs no wait', async () => {
      const client = await clientFor({ users: [alice], reportPollsBeforeComplete: 0 });

      const inventory = await new CredentialReportSource({ client, sleep: recordedSleep().sleep }).read({
        scope: 'all',
        shouldStop: () => true,
      });

      expect(inventory.users.map((r) => r.user.userName)).toEqual(['alice']);
    });
  });

  describe('other errors', () => {
    it('fails at once, without waiting, when GenerateCredentialReport is denied', async () => {
      const client = await clientFor({ users: [alice], denyActions: ['GenerateCredentialReport'] });
      const { waits, sleep } = recordedSleep();

      const read = new CredentialReportSource({ client, sleep }).read({ scope: 'all' });

      await expect(read).rejects.toThrow(
        'generating the credential report failed: AccessDenied: User is not authorized to perform: iam:GenerateCredentialReport',
      );
      expect(waits).toEqual([]);
      expect(callsByAction()).toEqual({ GenerateCredentialReport: 1 });
    });

    it('fails without waiting on ServiceFailure once the SDK has retried it', async () => {
      const client = await clientFor(
        {
          users: [alice],
          intercept: faultFirst(
            'GenerateCredentialReport',
            { status: 500, code: 'ServiceFailure', message: 'Internal failure' },
            Infinity,
          ),
        },
        3,
      );
      const { waits, sleep } = recordedSleep();

      const read = new CredentialReportSource({ client, sleep }).read({ scope: 'all' });

      await expect(read).rejects.toThrow(/^generating the credential report failed: ServiceFailure/);
      expect(waits).toEqual([]);
      expect(callsByAction()).toEqual({ GenerateCredentialReport: 3 });
    });
  });
});
