import { accountFailure } from '../../../src/domain/organization/account-outcome';
import {
  scanMemberAccount,
  type MemberScanDependencies,
  type MemberSession,
} from '../../../src/domain/organization/scan-member-account';
import type { UserInventory } from '../../../src/domain/scan/ports';
import { exemptionRules } from '../../../src/domain/verdict/exemptions';
import type { UserReading } from '../../../src/domain/verdict/user-snapshot';
import { account } from '../../support/organization-builders';
import { passwordOnlyReading } from '../../support/user-readings';

const NOW = new Date('2026-11-28T00:00:00Z');
const MEMBER = account('111122223333', 'legacy');

function reading(accountId: string, userName: string, passwordSetDaysAgo: number): UserReading {
  return passwordOnlyReading(accountId, userName, new Date(NOW.getTime() - passwordSetDaysAgo * 86_400_000));
}

function session(inventory: UserInventory, directory = new Map()): MemberSession {
  return {
    source: { kind: 'credential-report', read: async () => inventory },
    exemptionDirectory: { readAll: async () => directory },
  };
}

function deps(
  open: MemberScanDependencies['open'],
  overrides: Partial<MemberScanDependencies> = {},
): MemberScanDependencies {
  return {
    open,
    scan: { thresholdDays: 90, scope: 'all', now: NOW, clock: () => NOW },
    failureOf: (error, stage) =>
      accountFailure(
        stage === 'session' ? 'role-unavailable' : 'failed',
        error instanceof Error ? error.message : '',
      ),
    ...overrides,
  };
}

describe('scanning one member account', () => {
  it('judges the account exactly as a single-account scan does, at the run instant and threshold', async () => {
    const inventory: UserInventory = {
      users: [reading(MEMBER.accountId, 'old', 200), reading(MEMBER.accountId, 'new', 3)],
      accountId: MEMBER.accountId,
      credentialReportGeneratedAt: new Date('2026-11-27T23:00:00Z'),
    };

    const result = await scanMemberAccount(
      MEMBER,
      deps(async () => session(inventory)),
    );

    if (result.status !== 'scanned') throw new Error(`expected a report, got ${result.error.message}`);
    expect(result.report.accountId).toBe(MEMBER.accountId);
    expect(result.report.evaluatedAt).toEqual(NOW);
    expect(result.report.thresholdDays).toBe(90);
    expect(result.report.users.map((u) => [u.userName, u.status])).toEqual([
      ['new', 'active'],
      ['old', 'stale'],
    ]);
  });

  it('names the account it was asked for when the source names none (no users, no root row)', async () => {
    const empty: UserInventory = { users: [], accountId: null, credentialReportGeneratedAt: null };

    const result = await scanMemberAccount(
      MEMBER,
      deps(async () => session(empty)),
    );

    expect(result.status === 'scanned' && result.report.accountId).toBe(MEMBER.accountId);
  });

  it('refuses a report whose users belong to another account: the credentials reached the wrong place', async () => {
    const elsewhere: UserInventory = {
      users: [reading('123456789012', 'admin', 3)],
      accountId: '123456789012',
      credentialReportGeneratedAt: null,
    };

    const result = await scanMemberAccount(
      MEMBER,
      deps(async () => session(elsewhere)),
    );

    expect(result).toEqual({
      status: 'failed',
      account: MEMBER,
      error: {
        kind: 'failed',
        message: "the member role's credentials read the users of account 123456789012, not 111122223333",
      },
    });
  });

  it('turns a failure to open the session (assuming the member role) into the account failure', async () => {
    const result = await scanMemberAccount(
      MEMBER,
      deps(async () => {
        throw new Error('AccessDenied: not authorized to perform sts:AssumeRole');
      }),
    );

    expect(result).toEqual({
      status: 'failed',
      account: MEMBER,
      error: { kind: 'role-unavailable', message: 'AccessDenied: not authorized to perform sts:AssumeRole' },
    });
  });

  it('turns a failed read in the account into the account failure, classified as the scan stage', async () => {
    const stages: string[] = [];
    const failing: MemberSession = {
      source: {
        kind: 'credential-report',
        read: async () => {
          throw new Error('fetching the credential report failed: AccessDenied');
        },
      },
      exemptionDirectory: { readAll: async () => new Map() },
    };

    const result = await scanMemberAccount(
      MEMBER,
      deps(async () => failing, {
        failureOf: (error, stage) => {
          stages.push(stage);
          return accountFailure('access-denied', error instanceof Error ? error.message : '');
        },
      }),
    );

    expect(stages).toEqual(['scan']);
    expect(result.status === 'failed' && result.error.kind).toBe('access-denied');
  });

  it('reports exempt users as exempt when exemption rules are given, from the account directory', async () => {
    const inventory: UserInventory = {
      users: [reading(MEMBER.accountId, 'breakglass', 200)],
      accountId: MEMBER.accountId,
      credentialReportGeneratedAt: null,
    };
    const directory = new Map([
      ['breakglass', { userName: 'breakglass', path: '/', tags: new Map(), groupNames: [] }],
    ]);

    const result = await scanMemberAccount(
      MEMBER,
      deps(async () => session(inventory, directory), {
        exemptionRules: exemptionRules({ userNames: ['breakglass'], pathPrefixes: [], groupNames: [] }),
      }),
    );

    expect(result.status === 'scanned' && result.report.users[0]?.status).toBe('exempt');
  });
});
