import { scanAccount, type ExemptionDirectory } from '../../../src/domain/scan/scan-account';
import type { UserInventory, UserSource } from '../../../src/domain/scan/ports';
import { NO_EXEMPTIONS, type UserDirectoryEntry } from '../../../src/domain/verdict/exemptions';
import { passwordOnlyReading } from '../../support/user-readings';

const NOW = new Date('2026-11-30T00:00:00Z');
const ACCOUNT = '123456789012';

/** A user whose password, set in 2020, was never used: stale whenever judged. */
const reading = (userName: string) =>
  passwordOnlyReading(ACCOUNT, userName, new Date('2020-01-01T00:00:00Z'));

function entry(userName: string): UserDirectoryEntry {
  return { userName, path: '/', tags: new Map(), groupNames: [] };
}

/** A credential report (up to 4 hours old) listing these users; the api source's deletions, if any. */
function source(names: string[], deletedDuringScan?: string[]): UserSource {
  const inventory: UserInventory = {
    users: names.map(reading),
    accountId: ACCOUNT,
    credentialReportGeneratedAt: new Date('2026-11-29T21:00:00Z'),
    ...(deletedDuringScan ? { deletedDuringScan } : {}),
  };
  return { kind: 'credential-report', read: async () => inventory };
}

function scan(from: UserSource, directory: ExemptionDirectory) {
  return scanAccount(from, {
    thresholdDays: 90,
    now: NOW,
    scope: 'all',
    clock: () => NOW,
    exemptions: { rules: NO_EXEMPTIONS, directory },
  });
}

describe('scanAccount: a user the source read but the exemption directory does not list', () => {
  it('is deleted during the scan when IAM no longer knows it: no verdict, named in deletedDuringScan, the report whole', async () => {
    const asked: string[][] = [];
    const directory: ExemptionDirectory = {
      readAll: async () => new Map([['alice', entry('alice')]]),
      deletedOf: async (names) => {
        asked.push([...names]);
        return new Set(['gone']);
      },
    };

    const report = await scan(source(['alice', 'gone']), directory);

    expect(asked).toEqual([['gone']]);
    expect(report.users.map((u) => u.userName)).toEqual(['alice']);
    expect(report.deletedDuringScan).toEqual(['gone']);
    expect(report.partial).toBe(false);
    expect(report.summary).toMatchObject({ users: 1, stale: 1, errors: 0 });
  });

  it('is lost, not deleted, when IAM still knows it (or cannot say): an error, and the report is partial', async () => {
    const directory: ExemptionDirectory = {
      readAll: async () => new Map([['alice', entry('alice')]]),
      deletedOf: async () => new Set(),
    };

    const report = await scan(source(['alice', 'lost']), directory);

    const lost = report.users.find((u) => u.userName === 'lost');
    expect(lost?.status).toBe('error');
    expect(lost?.error).toBe(
      'user not found in the exemption directory (created during the scan?); not evaluated',
    );
    expect(report.deletedDuringScan).toEqual([]);
    expect(report.partial).toBe(true);
  });

  it('stays an error when the directory cannot ask IAM', async () => {
    const report = await scan(source(['alice', 'gone']), {
      readAll: async () => new Map([['alice', entry('alice')]]),
    });

    expect(report.users.find((u) => u.userName === 'gone')?.status).toBe('error');
    expect(report.partial).toBe(true);
  });

  it("adds to the source's own deletions and asks nothing when the directory lists everyone", async () => {
    let calls = 0;
    const directory: ExemptionDirectory = {
      readAll: async () => new Map([['alice', entry('alice')]]),
      deletedOf: async () => {
        calls += 1;
        return new Set();
      },
    };

    const report = await scan(source(['alice'], ['bob']), directory);

    expect(calls).toBe(0);
    expect(report.deletedDuringScan).toEqual(['bob']);
  });

  it('merges both kinds of deletion, sorted', async () => {
    const directory: ExemptionDirectory = {
      readAll: async () => new Map(),
      deletedOf: async (names) => new Set(names),
    };

    const report = await scan(source(['carol'], ['bob']), directory);

    expect(report.deletedDuringScan).toEqual(['bob', 'carol']);
    expect(report.users).toEqual([]);
  });
});
