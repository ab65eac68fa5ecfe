import { CredentialReportSource } from '../../../src/adapters/credential-report/source';
import { IamApiSource } from '../../../src/adapters/iam/api-source';
import type { UserReading } from '../../../src/domain/verdict/user-snapshot';
import { loopbackIamClient } from '../../support/loopback-iam-client';
import { startFakeIam, type FakeIam, type FakeIamOptions } from '../../../tools/fakes/fake-iam-server';

/**
 * These tests go through the SDK's real serializers, error parsing and retry strategy against an
 * IAM endpoint speaking the query protocol on loopback: what aws-sdk-client-mock cannot show.
 */
let fake: FakeIam | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function clientFor(options: FakeIamOptions, maxAttempts?: number) {
  fake = await startFakeIam(options);
  return loopbackIamClient(fake.endpoint, maxAttempts);
}

const created = new Date('2024-01-01T00:00:00Z');
const byName = (readings: readonly UserReading[]) => new Map(readings.map((r) => [r.user.userName, r]));

describe('IAM over the wire', () => {
  it('retries Throttling answers and still reads every user', async () => {
    const client = await clientFor({
      users: [
        { name: 'alice', createdAt: created },
        { name: 'bob', createdAt: created },
      ],
      throttleRequests: new Set([1, 2, 4]),
    });

    const { users } = await new IamApiSource({ client, concurrency: 1 }).read({ scope: 'all' });

    expect(users.map((r) => [r.user.userName, r.kind])).toEqual([
      ['alice', 'read'],
      ['bob', 'read'],
    ]);
    const throttledThenRetried = fake?.requests.slice(0, 3).map((r) => r.action);
    expect(throttledThenRetried).toEqual(['ListUsers', 'ListUsers', 'ListUsers']);
  });

  it('gives up on a user after the configured attempts and reports that user as Throttling', async () => {
    // Every request after ListUsers is throttled, so GetLoginProfile never gets through.
    const client = await clientFor(
      {
        users: [{ name: 'alice', createdAt: created }],
        throttleRequests: new Set(Array.from({ length: 30 }, (_, i) => i + 2)),
      },
      3,
    );

    const { users } = await new IamApiSource({ client }).read({ scope: 'password' });

    expect(users[0]?.kind).toBe('unreadable');
    expect(users[0]?.kind === 'unreadable' && users[0].user.reason).toMatch(/^Throttling: Rate exceeded/);
    expect(fake?.requests.filter((r) => r.action === 'GetLoginProfile')).toHaveLength(3);
  });

  it('follows markers over three pages when IAM returns fewer users than asked for', async () => {
    const users = Array.from({ length: 250 }, (_, i) => ({ name: `u${i}`, createdAt: created }));
    const client = await clientFor({ users, maxPageSize: 100 });

    const inventory = await new IamApiSource({ client }).read({ scope: 'password' });

    expect(inventory.users).toHaveLength(250);
    const pages = fake?.requests.filter((r) => r.action === 'ListUsers') ?? [];
    expect(pages.map((p) => p.params.get('Marker'))).toEqual([null, '100', '200']);
    expect(pages.every((p) => p.params.get('MaxItems') === '1000')).toBe(true);
  });

  it('reads NoSuchEntity as no login profile and an absent LastUsedDate as a never-used key', async () => {
    const client = await clientFor({
      users: [
        { name: 'former', createdAt: created, passwordLastUsedAt: new Date('2023-01-01T00:00:00Z') },
        {
          name: 'svc',
          createdAt: created,
          accessKeys: [{ id: 'AKIASVC1', status: 'Active', createdAt: new Date('2026-01-05T00:00:00Z') }],
        },
      ],
    });

    const { users } = await new IamApiSource({ client }).read({ scope: 'all' });
    const read = byName(users);

    const former = read.get('former');
    expect(former?.kind === 'read' && former.user.loginProfile).toBeNull();
    const svc = read.get('svc');
    expect(svc?.kind === 'read' && svc.user.accessKeys[0]?.lastUsedAt).toBeNull();
  });

  it('reports AccessDenied on one user and reads the rest', async () => {
    const client = await clientFor({
      users: [
        { name: 'alice', createdAt: created },
        { name: 'guarded', createdAt: created, deny: ['ListAccessKeys'] },
      ],
    });

    const { users } = await new IamApiSource({ client }).read({ scope: 'all' });
    const read = byName(users);

    expect(read.get('alice')?.kind).toBe('read');
    const guarded = read.get('guarded');
    expect(guarded?.kind === 'unreadable' && guarded.user.reason).toMatch(
      /^AccessDenied: User is not authorized/,
    );
  });

  it('polls GenerateCredentialReport until COMPLETE, then parses the decoded report', async () => {
    const client = await clientFor({
      users: [{ name: 'alice', createdAt: created, loginProfile: { createdAt: created } }],
      reportPollsBeforeComplete: 3,
      reportGeneratedAt: new Date('2026-11-27T22:00:00Z'),
    });
    const waits: number[] = [];

    const inventory = await new CredentialReportSource({
      client,
      sleep: async (ms) => {
        waits.push(ms);
      },
    }).read({ scope: 'all' });

    expect(fake?.requests.map((r) => r.action)).toEqual([
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
    ]);
    expect(waits).toEqual([2000, 4000, 8000]);
    expect(inventory.users.map((r) => r.user.userName)).toEqual(['alice']);
    expect(inventory.accountId).toBe('123456789012');
    expect(inventory.credentialReportGeneratedAt).toEqual(new Date('2026-11-27T22:00:00Z'));
  });

  it('gives up with a clear error once the waits for a never-completing report reach maxWaitMs', async () => {
    const client = await clientFor({ users: [], reportPollsBeforeComplete: 100 });
    const waits: number[] = [];

    const read = new CredentialReportSource({
      client,
      sleep: async (ms) => {
        waits.push(ms);
      },
      maxWaitMs: 30_000,
    }).read({ scope: 'all' });

    await expect(read).rejects.toThrow(
      'the credential report was not ready after 30 s (last answer: INPROGRESS); try again later',
    );
    expect(waits).toEqual([2000, 4000, 8000, 15000, 1000]);
    expect(fake?.requests.filter((r) => r.action === 'GetCredentialReport')).toHaveLength(0);
  });

  it('fails with a one-line reason when the credential report is denied', async () => {
    const client = await clientFor({ users: [], denyActions: ['GetCredentialReport'] });

    const read = new CredentialReportSource({ client, sleep: async () => undefined }).read({ scope: 'all' });

    await expect(read).rejects.toThrow(
      'fetching the credential report failed: AccessDenied: User is not authorized to perform: iam:GetCredentialReport',
    );
  });
});
