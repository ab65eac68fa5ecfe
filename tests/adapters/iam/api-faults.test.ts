import { IamApiSource, NOT_REACHED_REASON } from '../../../src/adapters/iam/api-source';
import type { CredentialScope } from '../../../src/domain/verdict/evaluate';
import { buildOperatorMessage } from '../../../src/domain/notification/message';
import { scanAccount } from '../../../src/domain/scan/scan-account';
import type { ScanReport } from '../../../src/domain/report/scan-report';
import { loopbackIamClient } from '../../support/loopback-iam-client';
import {
  startFakeIam,
  type FakeIam,
  type FakeIamOptions,
  type FakeUser,
} from '../../../tools/fakes/fake-iam-server';
import { generateUsers } from '../../../tools/fakes/generate-users';

/**
 * The faults a scan of a real account meets, played over the wire (the SDK's own parsing and retry
 * strategy) against the loopback IAM: throttling, a denied call, users and keys deleted mid-scan,
 * and a run that must stop before its time limit. Retry delays are injected as 0: nothing sleeps.
 */
const NOW = new Date('2026-11-28T00:00:00Z');
const THROTTLED = { status: 400, code: 'Throttling', message: 'Rate exceeded' } as const;

let fake: FakeIam | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function clientFor(options: FakeIamOptions) {
  fake = await startFakeIam(options);
  return loopbackIamClient(fake.endpoint);
}

async function scan(
  options: FakeIamOptions,
  scope: CredentialScope = 'all',
  shouldStop?: () => boolean,
): Promise<ScanReport> {
  const client = await clientFor(options);
  return scanAccount(new IamApiSource({ client }), {
    thresholdDays: 90,
    scope,
    now: NOW,
    clock: () => NOW,
    shouldStop,
  });
}

/** A seeded generator, so a failing run can be replayed exactly. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const created = new Date('2024-01-01T00:00:00Z');
const longAgo = new Date('2026-01-01T00:00:00Z');

describe('a scan through the IAM API under faults', () => {
  it('gives the same verdicts when 30% of all calls are answered with Throttling', async () => {
    const users = generateUsers(300, NOW);
    const calm = await scan({ users });
    await fake?.close();
    const random = seededRandom(7);
    let throttled = 0;

    const stormy = await scan({
      users,
      intercept: () => (random() < 0.3 ? (throttled++, THROTTLED) : undefined),
    });

    const answered = fake?.requests.length ?? 0;
    expect(throttled / answered).toBeGreaterThan(0.25);
    expect(stormy.summary.errors).toBe(0);
    expect(stormy.partial).toBe(false);
    expect(stormy.users).toEqual(calm.users);
  });

  it('keeps retrying after hundreds of throttled retries: no shared retry quota turns them into errors', async () => {
    // Every call is throttled 4 times before it gets through. The SDK's standard strategy would
    // spend its 500-token quota (5 per retry, 1 back per success) within ~30 calls and then give up.
    const attempts = new Map<string, number>();
    const users = Array.from({ length: 60 }, (_, i) => ({ name: `u${i}`, createdAt: created }));

    const report = await scan(
      {
        users,
        intercept: ({ action, params }) => {
          const call = `${action} ${params.get('UserName') ?? ''} ${params.get('Marker') ?? ''}`;
          const seen = (attempts.get(call) ?? 0) + 1;
          attempts.set(call, seen);
          return seen <= 4 ? THROTTLED : undefined;
        },
      },
      'all',
    );

    expect(fake?.requests.length).toBe(5 * (1 + 2 * 60));
    expect(report.summary).toMatchObject({ users: 60, errors: 0, noCredentials: 60 });
  });

  describe('when one user\u2019s GetLoginProfile is denied', () => {
    const users: FakeUser[] = [
      { name: 'alice', createdAt: created, loginProfile: { createdAt: longAgo }, deny: ['GetLoginProfile'] },
      { name: 'bob', createdAt: created, loginProfile: { createdAt: longAgo } },
      { name: 'carol', createdAt: created, passwordLastUsedAt: new Date('2026-11-20T00:00:00Z') },
    ];
    let report: ScanReport;
    beforeAll(async () => {
      report = await scan({ users });
    });
    afterAll(async () => {
      await fake?.close();
      fake = undefined;
    });

    it('reports that user as error with the AccessDenied reason', () => {
      const alice = report.users.find((u) => u.userName === 'alice');
      expect(alice?.status).toBe('error');
      expect(alice?.error).toMatch(/^AccessDenied: User is not authorized to perform: iam:GetLoginProfile/);
    });

    it('evaluates every other user', () => {
      expect(report.users.map((u) => [u.userName, u.status])).toEqual([
        ['alice', 'error'],
        ['bob', 'stale'],
        ['carol', 'no-credentials'],
      ]);
    });

    it('marks the report partial', () => {
      expect(report.partial).toBe(true);
      expect(report.summary.errors).toBe(1);
    });

    it('says PARTIAL in the email subject and under its title, and lists the user with the reason', () => {
      const message = buildOperatorMessage(report, {
        language: 'en',
        location: { bucket: 'b', key: 'k.json', csvKey: 'k.csv', versionId: 'v1' },
        notifyWhenClean: false,
      });
      expect(message?.subject).toMatch(/^\[stale-iam\] PARTIAL scan: /);
      expect(message?.body.split('\n')[1]).toMatch(/^PARTIAL SCAN: 1 of 3 users could not be evaluated/);
      expect(message?.body).toContain('alice: AccessDenied: User is not authorized');
    });
  });

  describe('when a user is deleted between ListUsers and their reads', () => {
    /** Deletes `name` from the fake the moment its GetLoginProfile arrives. */
    function deleteOnFirstRead(users: FakeUser[], name: string): FakeIamOptions['intercept'] {
      return ({ action, params }) => {
        const index = users.findIndex((u) => u.name === name);
        if (action === 'GetLoginProfile' && params.get('UserName') === name && index >= 0)
          users.splice(index, 1);
        return undefined;
      };
    }

    it.each<CredentialScope>(['all', 'password'])(
      'leaves the user out of the verdicts and names it as deleted, with --credentials %s',
      async (scope) => {
        const users: FakeUser[] = [
          { name: 'gone', createdAt: created, loginProfile: { createdAt: longAgo } },
          { name: 'stays', createdAt: created, loginProfile: { createdAt: longAgo } },
        ];

        const report = await scan({ users, intercept: deleteOnFirstRead(users, 'gone') }, scope);

        expect(report.users.map((u) => [u.userName, u.status])).toEqual([['stays', 'stale']]);
        expect(report.deletedDuringScan).toEqual(['gone']);
        expect(report.partial).toBe(false);
      },
    );

    it('takes "Login Profile for User ... cannot be found" at its word: no password, no extra call', async () => {
      const report = await scan({ users: [{ name: 'keys-only', createdAt: created }] }, 'password');

      expect(report.users.map((u) => [u.userName, u.status])).toEqual([['keys-only', 'no-credentials']]);
      expect(fake?.requests.map((r) => r.action)).toEqual(['ListUsers', 'GetLoginProfile']);
    });

    it('checks any other NoSuchEntity from GetLoginProfile with GetUser, and judges a user who still exists', async () => {
      const report = await scan(
        {
          users: [{ name: 'still-here', createdAt: created }],
          intercept: ({ action }) =>
            action === 'GetLoginProfile'
              ? {
                  status: 404,
                  code: 'NoSuchEntity',
                  message: 'The user with name still-here cannot be found.',
                }
              : undefined,
        },
        'password',
      );

      expect(report.users.map((u) => [u.userName, u.status])).toEqual([['still-here', 'no-credentials']]);
      expect(report.deletedDuringScan).toEqual([]);
      expect(fake?.requests.map((r) => r.action)).toEqual(['ListUsers', 'GetLoginProfile', 'GetUser']);
    });
  });

  it('drops an access key deleted between ListAccessKeys and GetAccessKeyLastUsed', async () => {
    const keys = [
      { id: 'AKIAKEEP', status: 'Active' as const, createdAt: longAgo, lastUsedAt: new Date('2026-11-27') },
      { id: 'AKIAGONE', status: 'Active' as const, createdAt: longAgo },
    ];
    const users: FakeUser[] = [{ name: 'dev', createdAt: created, accessKeys: keys }];

    const report = await scan({
      users,
      intercept: ({ action, params }) =>
        action === 'GetAccessKeyLastUsed' && params.get('AccessKeyId') === 'AKIAGONE'
          ? { status: 404, code: 'NoSuchEntity', message: 'The Access Key with id AKIAGONE cannot be found' }
          : undefined,
    });

    const dev = report.users[0];
    expect(dev?.status).toBe('active');
    expect(dev?.credentials.map((c) => c.accessKeyId)).toEqual(['AKIAKEEP']);
  });

  it('stops starting new users once told to stop, and reports the ones it did not reach', async () => {
    const users = Array.from({ length: 40 }, (_, i) => ({
      name: `u${String(i).padStart(2, '0')}`,
      createdAt: created,
      loginProfile: { createdAt: longAgo },
    }));
    let started = 0;
    const client = await clientFor({ users });
    const source = new IamApiSource({ client, concurrency: 1 });

    const report = await scanAccount(source, {
      thresholdDays: 90,
      scope: 'password',
      now: NOW,
      clock: () => NOW,
      shouldStop: () => ++started > 25,
    });

    const unreached = report.users.filter((u) => u.status === 'error');
    expect(report.users.filter((u) => u.status === 'stale')).toHaveLength(25);
    expect(unreached.map((u) => u.userName)).toEqual(users.slice(25).map((u) => u.name));
    expect(unreached.every((u) => u.error === NOT_REACHED_REASON)).toBe(true);
    expect(report.partial).toBe(true);
    const readsAfterStop = fake?.requests.filter(
      (r) => r.action === 'GetLoginProfile' && Number(r.params.get('UserName')?.slice(1)) >= 25,
    );
    expect(readsAfterStop).toEqual([]);
  });

  it('abandons reads still in flight at the hard stop and reports those users as not reached', async () => {
    const users = ['a', 'slow', 'c'].map((name) => ({
      name,
      createdAt: created,
      loginProfile: { createdAt: longAgo },
    }));
    const hardStop = new AbortController();
    let release = () => undefined as void;
    const held = new Promise<undefined>((resolve) => {
      release = () => resolve(undefined);
    });
    const client = await clientFor({
      users,
      // The slow user's GetLoginProfile never answers in time: the run's hard stop arrives instead.
      intercept: ({ action, params }) => {
        if (action !== 'GetLoginProfile' || params.get('UserName') !== 'slow') return undefined;
        hardStop.abort();
        return held;
      },
    });

    const report = await scanAccount(new IamApiSource({ client, concurrency: 1 }), {
      thresholdDays: 90,
      scope: 'password',
      now: NOW,
      clock: () => NOW,
      abortSignal: hardStop.signal,
    });
    release();

    expect(report.users.map((u) => [u.userName, u.status, u.error])).toEqual([
      ['a', 'stale', undefined],
      ['c', 'error', NOT_REACHED_REASON],
      ['slow', 'error', NOT_REACHED_REASON],
    ]);
    expect(fake?.requests.filter((r) => r.params.get('UserName') === 'c')).toEqual([]);
  });
});
