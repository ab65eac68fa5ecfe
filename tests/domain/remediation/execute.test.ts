import { NO_EXEMPTIONS, exemptionRules } from '../../../src/domain/verdict/exemptions';
import {
  executeRemediation,
  type ActionRecord,
  type RemediationContext,
} from '../../../src/domain/remediation/execute';
import {
  planRemediation,
  type RemediationPlan,
  type RemediationSettings,
} from '../../../src/domain/remediation/plan';
import type { CredentialEntry, UserEntry } from '../../../src/domain/report/scan-report';
import {
  FAKE_REPORT_GENERATED_AT,
  FakeLiveIam,
  WHOLE_ACCOUNT,
  type FakeUserState,
} from '../../support/fake-live-iam';
import { MemoryJournal } from '../../support/memory-journal';
import {
  RUN_AT,
  SERVICE_DEFAULTS,
  arnOf,
  daysBefore,
  exemptUser,
  keyWithId,
  recordFor,
  reportKey,
} from '../../support/remediation-builders';
import {
  accessKey,
  activeUser,
  buildReport,
  daysBeforeEvaluation,
  errorUser,
  password,
  staleUser,
} from '../../support/report-builder';
import { awsError } from '../../support/rejection';

const DEFAULTS: RemediationSettings = SERVICE_DEFAULTS;
const UNCAPPED: RemediationSettings = {
  ...DEFAULTS,
  deactivateAccessKeys: true,
  maxActions: 10_000,
  maxPercent: 100,
};
const PROFILE_CREATED = new Date('2024-01-15T09:30:00Z');
const HOUR_MS = 3_600_000;
/** A use after the scan: one hour before the disable run. */
const USED_SINCE_SCAN = new Date(RUN_AT.getTime() - HOUR_MS);

function planFor(users: readonly UserEntry[], settings: RemediationSettings = UNCAPPED): RemediationPlan {
  return planRemediation(buildReport(users), settings);
}

function context(live: FakeLiveIam, overrides: Partial<RemediationContext> = {}): RemediationContext {
  return {
    mode: 'enforce',
    thresholdDays: 90,
    rules: NO_EXEMPTIONS,
    live,
    clock: () => RUN_AT,
    journal: new MemoryJournal(live),
    ...overrides,
  };
}

/** A console user whose live state matches a password last used `idleDays` before the scan. */
function consoleUser(userName: string, idleDays: number, extra: Partial<FakeUserState> = {}): FakeUserState {
  return {
    userName,
    passwordLastUsedAt: new Date(daysBeforeEvaluation(idleDays)),
    loginProfile: { createdAt: PROFILE_CREATED, passwordResetRequired: false },
    ...extra,
  };
}

/** A key as the re-check finds it: by default Active and created 730 days before the evaluation. */
function liveKey(
  accessKeyId: string,
  lastUsedAt: Date,
  status: 'Active' | 'Inactive' = 'Active',
  createdDaysAgo = 730,
): NonNullable<FakeUserState['accessKeys']>[number] {
  return { accessKeyId, status, createdAt: new Date(daysBeforeEvaluation(createdDaysAgo)), lastUsedAt };
}

const UNDO_DELETE = (user: string) =>
  `aws iam create-login-profile --user-name='${user}' --password '<new temporary password>' --password-reset-required`;

describe('dry-run', () => {
  it('reads a user once per run when several of their credentials are acted on', async () => {
    const live = new FakeLiveIam([
      {
        ...consoleUser('mixed', 180),
        accessKeys: [liveKey('AKIAEXAMPLEMIXED0001', new Date(daysBeforeEvaluation(300)))],
      },
    ]);
    const plan = planFor([staleUser('mixed', password(180), keyWithId(1, 'AKIAEXAMPLEMIXED0001', 300))]);

    const records = await executeRemediation(plan, context(live, { mode: 'dry-run' }));

    expect(records.map((r) => r.outcome)).toEqual(['would-delete', 'would-deactivate']);
    expect(live.calls.filter((c) => c.method === 'readUser')).toHaveLength(1);
  });

  it('re-checks and records would-delete and would-deactivate, and sends no write', async () => {
    const live = new FakeLiveIam([
      consoleUser('alice', 180),
      {
        userName: 'svc',
        accessKeys: [liveKey('AKIAEXAMPLESVC000001', new Date(daysBeforeEvaluation(300)))],
      },
    ]);
    const plan = planFor([
      staleUser('alice', password(180)),
      staleUser('svc', keyWithId(1, 'AKIAEXAMPLESVC000001', 300)),
    ]);

    const records = await executeRemediation(plan, context(live, { mode: 'dry-run' }));

    expect(records.map((r) => [r.userName, r.outcome])).toEqual([
      ['alice', 'would-delete'],
      ['svc', 'would-deactivate'],
    ]);
    expect(live.writes()).toEqual([]);
    expect(live.calls.map((c) => `${c.method} ${c.userName}`)).toEqual([
      'readUser alice',
      'readLoginProfile alice',
      `readPasswordsLastSet ${WHOLE_ACCOUNT}`,
      'readUser svc',
      'readAccessKeys svc',
    ]);
    expect(live.state('alice')?.loginProfile).not.toBeNull();
    expect(live.state('svc')?.accessKeys?.[0]?.status).toBe('Active');
    expect(records.every((r) => r.mode === 'dry-run' && r.undo === null)).toBe(true);
  });

  it('still skips, in dry-run, what the re-check finds used since the scan', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180, { passwordLastUsedAt: USED_SINCE_SCAN })]);

    const [record] = await executeRemediation(
      planFor([staleUser('alice', password(180))]),
      context(live, { mode: 'dry-run' }),
    );

    expect(record?.outcome).toBe('skipped-used-since');
    expect(live.writes()).toEqual([]);
  });
});

describe('enforce', () => {
  it('deletes the login profile of a stale password', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180)]);

    const records = await executeRemediation(planFor([staleUser('alice', password(180))]), context(live));

    expect(records.map((r) => r.outcome)).toEqual(['deleted']);
    expect(live.writes()).toEqual([{ method: 'deleteLoginProfile', userName: 'alice' }]);
    expect(live.state('alice')?.loginProfile).toBeNull();
  });

  it('deactivates a stale active key, and only that key', async () => {
    const live = new FakeLiveIam([
      {
        userName: 'svc',
        accessKeys: [
          liveKey('AKIAEXAMPLESVC000001', new Date(daysBeforeEvaluation(300))),
          liveKey('AKIAEXAMPLESVC000002', new Date(daysBeforeEvaluation(1)), 'Active', 30),
        ],
      },
    ]);
    const plan = planFor([
      activeUser('svc', keyWithId(1, 'AKIAEXAMPLESVC000001', 300), keyWithId(2, 'AKIAEXAMPLESVC000002', 1)),
    ]);

    const records = await executeRemediation(plan, context(live));

    expect(records.map((r) => [r.credential.accessKeyId, r.outcome])).toEqual([
      ['AKIAEXAMPLESVC000001', 'deactivated'],
    ]);
    expect(live.writes()).toEqual([
      { method: 'deactivateAccessKey', userName: 'svc', accessKeyId: 'AKIAEXAMPLESVC000001' },
    ]);
    expect(live.state('svc')?.accessKeys?.map((k) => k.status)).toEqual(['Inactive', 'Active']);
  });
});

describe('live re-check just before acting', () => {
  it('skips a password used since the scan', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180, { passwordLastUsedAt: USED_SINCE_SCAN })]);

    const [record] = await executeRemediation(planFor([staleUser('alice', password(180))]), context(live));

    expect(record?.outcome).toBe('skipped-used-since');
    expect(record?.reason).toEqual({
      code: 'used-since',
      basis: 'last-used',
      at: USED_SINCE_SCAN.toISOString(),
    });
    expect(live.writes()).toEqual([]);
  });

  it('skips a password re-set since the scan (login profile created after the threshold)', async () => {
    const resetAt = daysBefore(RUN_AT, 2);
    const live = new FakeLiveIam([
      consoleUser('alice', 180, { loginProfile: { createdAt: resetAt, passwordResetRequired: true } }),
    ]);

    const [record] = await executeRemediation(planFor([staleUser('alice', password(180))]), context(live));

    expect(record?.outcome).toBe('skipped-used-since');
    expect(record?.reason).toEqual({ code: 'used-since', basis: 'created', at: resetAt.toISOString() });
    expect(record?.before.passwordResetRequired).toBe(true);
    expect(live.writes()).toEqual([]);
  });

  it('acts on a password last used one second before the threshold of the run, not at it', async () => {
    const threshold = daysBefore(RUN_AT, 90);
    const justStale = new FakeLiveIam([
      consoleUser('alice', 180, { passwordLastUsedAt: new Date(threshold.getTime() - 1000) }),
    ]);
    const atThreshold = new FakeLiveIam([consoleUser('alice', 180, { passwordLastUsedAt: threshold })]);
    const plan = planFor([staleUser('alice', password(180))]);

    const [acted] = await executeRemediation(plan, context(justStale));
    const [skipped] = await executeRemediation(plan, context(atThreshold));

    expect(acted?.outcome).toBe('deleted');
    expect(skipped?.outcome).toBe('skipped-used-since');
    expect(atThreshold.writes()).toEqual([]);
  });

  it('skips an access key used since the scan', async () => {
    const live = new FakeLiveIam([
      {
        userName: 'svc',
        accessKeys: [liveKey('AKIAEXAMPLESVC000001', USED_SINCE_SCAN)],
      },
    ]);

    const [record] = await executeRemediation(
      planFor([staleUser('svc', keyWithId(1, 'AKIAEXAMPLESVC000001', 300))]),
      context(live),
    );

    expect(record?.outcome).toBe('skipped-used-since');
    expect(record?.reason).toEqual({
      code: 'used-since',
      basis: 'last-used',
      at: USED_SINCE_SCAN.toISOString(),
    });
    expect(record?.before.accessKeyLastUsed).toBe(USED_SINCE_SCAN.toISOString());
    expect(live.writes()).toEqual([]);
  });

  it('records exempt, and writes nothing, for a user tagged stale-iam:exempt=true since the scan', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180, { tags: { 'stale-iam:exempt': 'True' } })]);

    const [record] = await executeRemediation(planFor([staleUser('alice', password(180))]), context(live));

    expect(record?.outcome).toBe('exempt');
    expect(record?.reason).toEqual({ code: 'exempt-now', cause: { kind: 'tag' } });
    expect(record?.undo).toBeNull();
    expect(live.writes()).toEqual([]);
    expect(live.calls.map((c) => c.method)).toEqual(['readUser']);
  });

  it('records exempt for a user moved under an exempt path or into an exempt group since the scan', async () => {
    const rules = exemptionRules({ pathPrefixes: ['/breakglass'], groupNames: ['admins'] });
    const live = new FakeLiveIam([
      consoleUser('alice', 180, { path: '/breakglass/' }),
      consoleUser('bob', 180, { groups: ['developers', 'admins'] }),
    ]);

    const records = await executeRemediation(
      planFor([staleUser('alice', password(180)), staleUser('bob', password(180))]),
      context(live, { rules }),
    );

    expect(records.map((r) => [r.userName, r.outcome, r.reason])).toEqual([
      [
        'alice',
        'exempt',
        { code: 'exempt-now', cause: { kind: 'path', path: '/breakglass/', prefix: '/breakglass/' } },
      ],
      ['bob', 'exempt', { code: 'exempt-now', cause: { kind: 'group', group: 'admins' } }],
    ]);
    expect(live.writes()).toEqual([]);
  });

  it('reads group memberships at re-check only when a group rule is configured', async () => {
    const plan = planFor([staleUser('alice', password(180))]);
    const withoutGroupRule = new FakeLiveIam([consoleUser('alice', 180)]);
    const withGroupRule = new FakeLiveIam([consoleUser('alice', 180)]);

    await executeRemediation(plan, context(withoutGroupRule));
    await executeRemediation(plan, context(withGroupRule, { rules: exemptionRules({ groupNames: ['x'] }) }));

    expect(withoutGroupRule.calls[0]).toEqual({ method: 'readUser', userName: 'alice', withGroups: false });
    expect(withGroupRule.calls[0]).toEqual({ method: 'readUser', userName: 'alice', withGroups: true });
  });
});

describe('when the password was last set: the credential report (LoginProfile.CreateDate misses a reset)', () => {
  /** A console user as the api source sees them: profile and last sign-in both 200 days old. */
  const idle200 = (userName: string, extra: Partial<FakeUserState> = {}): FakeUserState => ({
    userName,
    passwordLastUsedAt: daysBefore(RUN_AT, 200),
    loginProfile: { createdAt: daysBefore(RUN_AT, 200), passwordResetRequired: false },
    ...extra,
  });

  it('skips a password an administrator reset yesterday, though its profile and last sign-in are 200 days old', async () => {
    const resetAt = daysBefore(RUN_AT, 1);
    const live = new FakeLiveIam([idle200('alice', { passwordLastChanged: resetAt })]);

    const [record] = await executeRemediation(planFor([staleUser('alice', password(200))]), context(live));

    expect(record?.outcome).toBe('skipped-used-since');
    expect(record?.reason).toEqual({ code: 'password-reset', at: resetAt.toISOString() });
    expect(record?.before.passwordLastChanged).toBe(resetAt.toISOString());
    expect(record?.before.loginProfileCreateDate).toBe(daysBefore(RUN_AT, 200).toISOString());
    expect(record?.undo).toBeNull();
    expect(live.writes()).toEqual([]);
  });

  it('still deletes a password whose reset is itself older than the threshold', async () => {
    const live = new FakeLiveIam([idle200('alice', { passwordLastChanged: daysBefore(RUN_AT, 120) })]);

    const [record] = await executeRemediation(planFor([staleUser('alice', password(200))]), context(live));

    expect(record?.outcome).toBe('deleted');
    expect(record?.before.passwordLastChanged).toBe(daysBefore(RUN_AT, 120).toISOString());
  });

  it('takes the latest of the three: a sign-in after the reset is the reason given', async () => {
    const live = new FakeLiveIam([
      idle200('alice', { passwordLastChanged: daysBefore(RUN_AT, 2), passwordLastUsedAt: USED_SINCE_SCAN }),
    ]);

    const [record] = await executeRemediation(planFor([staleUser('alice', password(200))]), context(live));

    expect(record?.reason).toEqual({
      code: 'used-since',
      basis: 'last-used',
      at: USED_SINCE_SCAN.toISOString(),
    });
    expect(live.writes()).toEqual([]);
  });

  it('judges on the live profile a user the report lists without a password (N/A: the profile is newer than the report)', async () => {
    const createdAt = new Date(RUN_AT.getTime() - 2 * HOUR_MS);
    const live = new FakeLiveIam([
      idle200('alice', {
        passwordLastChanged: null,
        loginProfile: { createdAt, passwordResetRequired: true },
      }),
    ]);

    const [record] = await executeRemediation(planFor([staleUser('alice', password(200))]), context(live));

    expect(record?.reason).toEqual({ code: 'used-since', basis: 'created', at: createdAt.toISOString() });
    expect(record?.before.passwordLastChanged).toBeNull();
    expect(live.writes()).toEqual([]);
  });

  it('finds a user in the report whatever the letter case of the name (IAM names are unique regardless of case)', async () => {
    const live = new FakeLiveIam([
      idle200('Alice', { passwordLastChanged: 'absent' }),
      { userName: 'ALICE', passwordLastChanged: daysBefore(RUN_AT, 1) },
    ]);

    const [record] = await executeRemediation(planFor([staleUser('Alice', password(200))]), context(live));

    expect(record?.reason).toEqual({ code: 'password-reset', at: daysBefore(RUN_AT, 1).toISOString() });
    expect(live.writes()).toEqual([]);
  });

  it('does not delete the password of a user the report does not list, in enforce or dry-run', async () => {
    for (const mode of ['enforce', 'dry-run'] as const) {
      const live = new FakeLiveIam([idle200('alice', { passwordLastChanged: 'absent' })]);

      const [record] = await executeRemediation(
        planFor([staleUser('alice', password(200))]),
        context(live, { mode }),
      );

      expect(record?.outcome).toBe('failed');
      expect(record?.reason).toEqual({ code: 'not-in-credential-report' });
      expect(live.writes()).toEqual([]);
    }
  });

  it('deletes no password when the report cannot be read, reads it once, and still deactivates a stale key', async () => {
    const live = new FakeLiveIam([
      idle200('alice'),
      idle200('bob'),
      { userName: 'svc', accessKeys: [liveKey('AKIAEXAMPLESVC000001', new Date(daysBeforeEvaluation(300)))] },
    ]).failOn('readPasswordsLastSet', WHOLE_ACCOUNT, awsError('AccessDenied', 'not authorized'));
    const plan = planFor([
      staleUser('alice', password(200)),
      staleUser('bob', password(200)),
      staleUser('svc', keyWithId(1, 'AKIAEXAMPLESVC000001', 300)),
    ]);

    const records = await executeRemediation(plan, context(live));

    const unavailable = { code: 'credential-report-unavailable', error: 'AccessDenied: not authorized' };
    expect(records.map((r) => [r.userName, r.outcome, r.reason])).toEqual([
      ['alice', 'failed', unavailable],
      ['bob', 'failed', unavailable],
      ['svc', 'deactivated', null],
    ]);
    expect(live.writes().map((w) => w.method)).toEqual(['deactivateAccessKey']);
    expect(live.calls.filter((c) => c.method === 'readPasswordsLastSet')).toHaveLength(1);
  });

  it('never reads the report for a plan of access keys only', async () => {
    const live = new FakeLiveIam([
      { userName: 'svc', accessKeys: [liveKey('AKIAEXAMPLESVC000001', new Date(daysBeforeEvaluation(300)))] },
    ]);

    await executeRemediation(
      planFor([staleUser('svc', keyWithId(1, 'AKIAEXAMPLESVC000001', 300))]),
      context(live),
    );

    expect(live.calls.filter((c) => c.method === 'readPasswordsLastSet')).toEqual([]);
  });
});

describe('already gone', () => {
  it('records already-gone when the user no longer exists', async () => {
    const live = new FakeLiveIam([]);

    const [record] = await executeRemediation(planFor([staleUser('alice', password(180))]), context(live));

    expect(record?.outcome).toBe('already-gone');
    expect(record?.reason).toEqual({ code: 'user-gone' });
    expect(live.writes()).toEqual([]);
  });

  it('records already-gone when the login profile no longer exists', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180, { loginProfile: null })]);

    const [record] = await executeRemediation(planFor([staleUser('alice', password(180))]), context(live));

    expect(record?.outcome).toBe('already-gone');
    expect(record?.reason).toEqual({ code: 'login-profile-gone' });
    expect(live.writes()).toEqual([]);
  });

  it('records already-gone, not failed, when the delete itself answers NoSuchEntity', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180)]).loginProfileVanishesBeforeDelete('alice');

    const [record] = await executeRemediation(planFor([staleUser('alice', password(180))]), context(live));

    expect(record?.outcome).toBe('already-gone');
    expect(record?.reason).toEqual({ code: 'gone-on-write' });
    expect(record?.undo).toBeNull();
    expect(live.writes()).toEqual([{ method: 'deleteLoginProfile', userName: 'alice' }]);
  });

  it('records already-gone when the key named in the report no longer exists', async () => {
    const live = new FakeLiveIam([
      {
        userName: 'svc',
        accessKeys: [liveKey('AKIAEXAMPLEROTATED01', new Date(daysBeforeEvaluation(300)))],
      },
    ]);

    const [record] = await executeRemediation(
      planFor([staleUser('svc', keyWithId(1, 'AKIAEXAMPLESVC000001', 300))]),
      context(live),
    );

    expect(record?.outcome).toBe('already-gone');
    expect(record?.reason).toEqual({ code: 'key-gone' });
    expect(live.writes()).toEqual([]);
  });

  it('records already-gone when the key was deactivated since the scan', async () => {
    const live = new FakeLiveIam([
      {
        userName: 'svc',
        accessKeys: [liveKey('AKIAEXAMPLESVC000001', new Date(daysBeforeEvaluation(300)), 'Inactive')],
      },
    ]);

    const [record] = await executeRemediation(
      planFor([staleUser('svc', keyWithId(1, 'AKIAEXAMPLESVC000001', 300))]),
      context(live),
    );

    expect(record?.outcome).toBe('already-gone');
    expect(record?.reason).toEqual({ code: 'key-not-active', status: 'Inactive' });
    expect(record?.undo).toBeNull();
    expect(live.writes()).toEqual([]);
  });
});

describe('finding the key to deactivate', () => {
  const CREATED = '2025-01-10T06:29:40.000Z';

  function svcWithKeys(...keys: { id: string; createdAt: string }[]): FakeLiveIam {
    return new FakeLiveIam([
      {
        userName: 'svc',
        accessKeys: keys.map((k) => ({
          accessKeyId: k.id,
          status: 'Active' as const,
          createdAt: new Date(k.createdAt),
          lastUsedAt: new Date(daysBeforeEvaluation(300)),
        })),
      },
    ]);
  }

  it('matches by id when the report has it (api source)', async () => {
    const live = svcWithKeys(
      { id: 'AKIAEXAMPLEOTHER0001', createdAt: CREATED },
      { id: 'AKIAEXAMPLESVC000002', createdAt: CREATED },
    );

    const [record] = await executeRemediation(
      planFor([staleUser('svc', keyWithId(2, 'AKIAEXAMPLESVC000002', 300, { createdAt: CREATED }))]),
      context(live),
    );

    expect(record?.outcome).toBe('deactivated');
    expect(live.writes()).toEqual([
      { method: 'deactivateAccessKey', userName: 'svc', accessKeyId: 'AKIAEXAMPLESVC000002' },
    ]);
  });

  it('matches by creation instant when the report has no id (credential report), recording the real id', async () => {
    const live = svcWithKeys(
      { id: 'AKIAEXAMPLENEWER0001', createdAt: '2026-10-01T00:00:00.000Z' },
      { id: 'AKIAEXAMPLEOLDER0002', createdAt: '2025-01-10T06:29:40.734Z' },
    );

    const [record] = await executeRemediation(
      planFor([activeUser('svc', reportKey(1, CREATED, 300), reportKey(2, '2026-10-01T00:00:00.000Z', 3))]),
      context(live),
    );

    expect(record?.outcome).toBe('deactivated');
    expect(record?.credential).toEqual({ type: 'access-key', accessKeyId: 'AKIAEXAMPLEOLDER0002', slot: 1 });
    expect(live.writes()).toEqual([
      { method: 'deactivateAccessKey', userName: 'svc', accessKeyId: 'AKIAEXAMPLEOLDER0002' },
    ]);
  });

  it('refuses to guess when two keys were created in the same second: failed, and no write', async () => {
    const live = svcWithKeys(
      { id: 'AKIAEXAMPLETWIN00001', createdAt: CREATED },
      { id: 'AKIAEXAMPLETWIN00002', createdAt: '2025-01-10T06:29:40.500Z' },
    );

    const [record] = await executeRemediation(
      planFor([staleUser('svc', reportKey(1, CREATED, 300))]),
      context(live),
    );

    expect(record?.outcome).toBe('failed');
    expect(record?.reason).toEqual({ code: 'ambiguous-key' });
    expect(live.writes()).toEqual([]);
  });

  it('records already-gone when no key has the creation instant of the report any more', async () => {
    const live = svcWithKeys({ id: 'AKIAEXAMPLEROTATED01', createdAt: '2026-11-01T00:00:00.000Z' });

    const [record] = await executeRemediation(
      planFor([staleUser('svc', reportKey(1, CREATED, 300))]),
      context(live),
    );

    expect(record?.outcome).toBe('already-gone');
    expect(live.writes()).toEqual([]);
  });
});

describe('one failure does not stop the others', () => {
  it('records failed with the reason for the action whose write throws, and still acts on the rest', async () => {
    const live = new FakeLiveIam([
      consoleUser('alice', 180),
      consoleUser('bob', 200),
      consoleUser('carol', 300),
    ]).failOn(
      'deleteLoginProfile',
      'bob',
      awsError('EntityTemporarilyUnmodifiable', 'Cannot modify the login profile of user bob right now.'),
    );

    const records = await executeRemediation(
      planFor([
        staleUser('alice', password(180)),
        staleUser('bob', password(200)),
        staleUser('carol', password(300)),
      ]),
      context(live),
    );

    expect(records.map((r) => [r.userName, r.outcome])).toEqual([
      ['alice', 'deleted'],
      ['bob', 'failed'],
      ['carol', 'deleted'],
    ]);
    const bob = recordFor(records, 'bob');
    expect(bob.reason).toEqual({
      code: 'aws-error',
      error: 'EntityTemporarilyUnmodifiable: Cannot modify the login profile of user bob right now.',
    });
    expect(bob.undo).toBeNull();
    expect(live.state('bob')?.loginProfile).not.toBeNull();
    expect(live.state('carol')?.loginProfile).toBeNull();
  });

  it('records failed when the re-check read itself fails, and acts on nothing for that credential', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180), consoleUser('bob', 200)]).failOn(
      'readLoginProfile',
      'alice',
      awsError('AccessDenied', 'not authorized to perform: iam:GetLoginProfile'),
    );

    const records = await executeRemediation(
      planFor([staleUser('alice', password(180)), staleUser('bob', password(200))]),
      context(live),
    );

    expect(recordFor(records, 'alice').outcome).toBe('failed');
    expect(recordFor(records, 'alice').reason).toEqual({
      code: 'aws-error',
      error: 'AccessDenied: not authorized to perform: iam:GetLoginProfile',
    });
    expect(recordFor(records, 'bob').outcome).toBe('deleted');
    expect(live.writes()).toEqual([{ method: 'deleteLoginProfile', userName: 'bob' }]);
  });
});

describe('a blocked plan touches nothing', () => {
  it('makes no IAM call at all when the cap is exceeded and records skipped-cap for each action', async () => {
    const users = Array.from({ length: 11 }, (_, i) => staleUser(`idle-${i}`, password(200)));
    const live = new FakeLiveIam(users.map((u) => consoleUser(u.userName, 200)));
    const plan = planFor(users, { ...DEFAULTS, maxPercent: 100 });

    const records = await executeRemediation(plan, context(live));

    expect(plan.blocked?.code).toBe('cap-actions');
    expect(live.calls).toEqual([]);
    expect(records).toHaveLength(11);
    expect(records.every((r) => r.outcome === 'skipped-cap')).toBe(true);
    expect(records[0]?.reason).toEqual({
      code: 'blocked',
      block: { code: 'cap-actions', planned: 11, maxActions: 10 },
    });
    expect(records.every((r) => r.undo === null)).toBe(true);
  });

  it('makes no IAM call at all after a scan error and records skipped-scan-error for each action', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180), consoleUser('bob', 200)]);
    const plan = planFor([
      staleUser('alice', password(180)),
      staleUser('bob', password(200)),
      errorUser('locked-down', 'AccessDenied: iam:ListAccessKeys'),
    ]);

    const records = await executeRemediation(plan, context(live));

    expect(live.calls).toEqual([]);
    expect(records.map((r) => [r.userName, r.outcome])).toEqual([
      ['alice', 'skipped-scan-error'],
      ['bob', 'skipped-scan-error'],
    ]);
    expect(records[0]?.reason).toEqual({
      code: 'blocked',
      block: { code: 'scan-errors', errors: 1, users: 3 },
    });
  });

  it('still records the exempt users of a blocked plan as exempt', async () => {
    const live = new FakeLiveIam([]);
    const plan = planFor([
      exemptUser('breakglass', 'tag stale-iam:exempt=true', password(400)),
      staleUser('alice', password(180)),
      errorUser('locked-down', 'AccessDenied'),
    ]);

    const records = await executeRemediation(plan, context(live));

    expect(records.map((r) => [r.userName, r.outcome])).toEqual([
      ['breakglass', 'exempt'],
      ['alice', 'skipped-scan-error'],
    ]);
    expect(live.calls).toEqual([]);
  });
});

describe('users exempt in the report', () => {
  it('records exempt for each stale credential and never reads or writes them', async () => {
    const live = new FakeLiveIam([consoleUser('breakglass', 400), consoleUser('alice', 180)]);
    const plan = planFor([
      exemptUser('breakglass', 'path /breakglass/ is under exempt prefix /breakglass/', password(400)),
      staleUser('alice', password(180)),
    ]);

    const records = await executeRemediation(plan, context(live));

    expect(recordFor(records, 'breakglass').outcome).toBe('exempt');
    expect(recordFor(records, 'breakglass').reason).toEqual({ code: 'exempt-in-report' });
    expect(live.calls.filter((c) => c.userName === 'breakglass')).toEqual([]);
    expect(live.state('breakglass')?.loginProfile).not.toBeNull();
  });
});

describe('audit records', () => {
  it('carry time, user, credential, action, outcome, the state before and the undo command of a deleted password', async () => {
    const live = new FakeLiveIam([
      consoleUser('alice', 180, {
        loginProfile: { createdAt: PROFILE_CREATED, passwordResetRequired: false },
      }),
    ]);

    const [record] = await executeRemediation(planFor([staleUser('alice', password(180))]), context(live));

    expect(record).toEqual<ActionRecord>({
      time: '2026-11-28T00:05:12.345Z',
      mode: 'enforce',
      userName: 'alice',
      arn: arnOf('alice'),
      credential: { type: 'password', accessKeyId: null, slot: null },
      action: 'delete-login-profile',
      outcome: 'deleted',
      reason: null,
      before: {
        passwordLastUsed: daysBeforeEvaluation(180),
        loginProfileCreateDate: '2024-01-15T09:30:00.000Z',
        passwordResetRequired: false,
        passwordLastChanged: '2024-01-15T09:30:00.000Z',
        credentialReportGeneratedAt: FAKE_REPORT_GENERATED_AT.toISOString(),
      },
      undo: UNDO_DELETE('alice'),
    });
  });

  it('carry the key id, its status and last use before, and the undo command of a deactivated key', async () => {
    const live = new FakeLiveIam([
      {
        userName: 'svc',
        accessKeys: [liveKey('AKIAEXAMPLESVC000001', new Date('2026-01-02T03:04:05Z'))],
      },
    ]);

    const [record] = await executeRemediation(
      planFor([staleUser('svc', keyWithId(1, 'AKIAEXAMPLESVC000001', 300))]),
      context(live),
    );

    expect(record).toEqual<ActionRecord>({
      time: '2026-11-28T00:05:12.345Z',
      mode: 'enforce',
      userName: 'svc',
      arn: arnOf('svc'),
      credential: { type: 'access-key', accessKeyId: 'AKIAEXAMPLESVC000001', slot: 1 },
      action: 'deactivate-access-key',
      outcome: 'deactivated',
      reason: null,
      before: {
        accessKeyId: 'AKIAEXAMPLESVC000001',
        accessKeyStatus: 'Active',
        accessKeyLastUsed: '2026-01-02T03:04:05.000Z',
      },
      undo: "aws iam update-access-key --user-name='svc' --access-key-id='AKIAEXAMPLESVC000001' --status Active",
    });
  });

  it('record a never-used password as null last use', async () => {
    const live = new FakeLiveIam([consoleUser('newbie', 180, { passwordLastUsedAt: null })]);

    const [record] = await executeRemediation(
      planFor([staleUser('newbie', password(180, { never: true }))]),
      context(live),
    );

    expect(record?.outcome).toBe('deleted');
    expect(record?.before.passwordLastUsed).toBeNull();
  });

  it('give no undo command for dry-run or skipped credentials: nothing was done', async () => {
    const live = new FakeLiveIam([
      consoleUser('alice', 180),
      consoleUser('bob', 200, { passwordLastUsedAt: USED_SINCE_SCAN }),
      consoleUser('carol', 300, { tags: { 'stale-iam:exempt': 'true' } }),
    ]);
    const plan = planFor([
      staleUser('alice', password(180)),
      staleUser('bob', password(200)),
      staleUser('carol', password(300)),
      exemptUser('dave', 'user name is exempt', password(400)),
    ]);

    const dryRun = await executeRemediation(plan, context(live, { mode: 'dry-run' }));

    expect(dryRun.map((r) => [r.userName, r.outcome, r.undo])).toEqual([
      ['dave', 'exempt', null],
      ['alice', 'would-delete', null],
      ['bob', 'skipped-used-since', null],
      ['carol', 'exempt', null],
    ]);
  });

  it('shell-quote a user name with a quote in the undo command', async () => {
    const live = new FakeLiveIam([consoleUser("o'brien", 180)]);

    const [record] = await executeRemediation(planFor([staleUser("o'brien", password(180))]), context(live));

    expect(record?.undo).toBe(
      `aws iam create-login-profile --user-name='o'\\''brien' --password '<new temporary password>' --password-reset-required`,
    );
  });

  it('quote every user name alike, IAM-legal ones such as first.last+ops@example included', async () => {
    const live = new FakeLiveIam([consoleUser('first.last+ops@example', 180)]);

    const [record] = await executeRemediation(
      planFor([staleUser('first.last+ops@example', password(180))]),
      context(live),
    );

    expect(record?.undo).toBe(UNDO_DELETE('first.last+ops@example'));
  });

  it('join a name starting with "-" to its option, so the AWS CLI cannot read it as one', async () => {
    const live = new FakeLiveIam([
      consoleUser('-rf', 180),
      {
        userName: '--svc',
        accessKeys: [liveKey('AKIAEXAMPLESVC000001', new Date(daysBeforeEvaluation(300)))],
      },
    ]);

    const records = await executeRemediation(
      planFor([
        staleUser('-rf', password(180)),
        staleUser('--svc', keyWithId(1, 'AKIAEXAMPLESVC000001', 300)),
      ]),
      context(live),
    );

    expect(records.map((r) => r.undo)).toEqual([
      "aws iam create-login-profile --user-name='-rf' --password '<new temporary password>' --password-reset-required",
      "aws iam update-access-key --user-name='--svc' --access-key-id='AKIAEXAMPLESVC000001' --status Active",
    ]);
  });
});

describe('the audit trail is written ahead', () => {
  it('records each intent, with the state before and the undo command, before its IAM write, and the outcome after', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180), consoleUser('bob', 200)]);
    const journal = new MemoryJournal(live);

    await executeRemediation(
      planFor([staleUser('alice', password(180)), staleUser('bob', password(200))]),
      context(live, { journal }),
    );

    expect(journal.entries).toEqual([
      { kind: 'intent', seq: 1, userName: 'alice', writesBefore: 0 },
      { kind: 'outcome', seq: 1, userName: 'alice', outcome: 'deleted', writesBefore: 1 },
      { kind: 'intent', seq: 2, userName: 'bob', writesBefore: 1 },
      { kind: 'outcome', seq: 2, userName: 'bob', outcome: 'deleted', writesBefore: 2 },
    ]);
    expect(journal.intents[0]).toEqual({
      seq: 1,
      time: RUN_AT.toISOString(),
      userName: 'alice',
      arn: arnOf('alice'),
      credential: { type: 'password', accessKeyId: null, slot: null },
      action: 'delete-login-profile',
      before: {
        passwordLastUsed: daysBeforeEvaluation(180),
        loginProfileCreateDate: PROFILE_CREATED.toISOString(),
        passwordResetRequired: false,
        passwordLastChanged: PROFILE_CREATED.toISOString(),
        credentialReportGeneratedAt: FAKE_REPORT_GENERATED_AT.toISOString(),
      },
      undo: UNDO_DELETE('alice'),
    });
  });

  it('records the outcome of a write that failed, after its intent', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180)]).failOn(
      'deleteLoginProfile',
      'alice',
      awsError('EntityTemporarilyUnmodifiable', 'try again later'),
    );
    const journal = new MemoryJournal(live);

    await executeRemediation(planFor([staleUser('alice', password(180))]), context(live, { journal }));

    expect(journal.entries.map((e) => [e.kind, e.outcome])).toEqual([
      ['intent', undefined],
      ['outcome', 'failed'],
    ]);
  });

  it('sends no write, and starts nothing more, when the intent cannot be recorded', async () => {
    const live = new FakeLiveIam([
      consoleUser('alice', 180),
      consoleUser('bob', 200),
      consoleUser('carol', 300),
    ]);
    const journal = new MemoryJournal(live).failOn('intent', 2, awsError('AccessDenied', 'Access Denied'));

    const records = await executeRemediation(
      planFor([
        staleUser('alice', password(180)),
        staleUser('bob', password(200)),
        staleUser('carol', password(300)),
      ]),
      context(live, { journal }),
    );

    expect(live.writes()).toEqual([{ method: 'deleteLoginProfile', userName: 'alice' }]);
    expect(records.map((r) => [r.userName, r.outcome])).toEqual([
      ['alice', 'deleted'],
      ['bob', 'failed'],
      ['carol', 'not-reached'],
    ]);
    const unavailable = { code: 'audit-unavailable', error: 'AccessDenied: Access Denied' };
    expect(recordFor(records, 'bob').reason).toEqual(unavailable);
    expect(recordFor(records, 'carol').reason).toEqual(unavailable);
    expect(live.calls.filter((c) => c.userName === 'carol')).toEqual([]);
  });

  it('starts nothing more once an outcome cannot be recorded, keeping the outcome of the write that was made', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180), consoleUser('bob', 200)]);
    const journal = new MemoryJournal(live).failOn(
      'outcome',
      1,
      awsError('SlowDown', 'Please reduce your request rate'),
    );

    const records = await executeRemediation(
      planFor([staleUser('alice', password(180)), staleUser('bob', password(200))]),
      context(live, { journal }),
    );

    expect(records.map((r) => [r.userName, r.outcome])).toEqual([
      ['alice', 'deleted'],
      ['bob', 'not-reached'],
    ]);
    expect(live.writes()).toEqual([{ method: 'deleteLoginProfile', userName: 'alice' }]);
  });

  it('writes nothing to the journal in dry-run: no IAM write is made', async () => {
    const live = new FakeLiveIam([consoleUser('alice', 180)]);
    const journal = new MemoryJournal(live);

    await executeRemediation(
      planFor([staleUser('alice', password(180))]),
      context(live, { journal, mode: 'dry-run' }),
    );

    expect(journal.entries).toEqual([]);
  });
});

describe('the time budget', () => {
  it('starts no credential once the run must stop, recording each one not reached', async () => {
    const live = new FakeLiveIam([
      consoleUser('alice', 180),
      consoleUser('bob', 200),
      consoleUser('carol', 300),
    ]);
    let started = 0;
    const shouldStop = () => started++ >= 1;

    const records = await executeRemediation(
      planFor([
        staleUser('alice', password(180)),
        staleUser('bob', password(200)),
        staleUser('carol', password(300)),
      ]),
      context(live, { shouldStop }),
    );

    expect(records.map((r) => [r.userName, r.outcome, r.reason])).toEqual([
      ['alice', 'deleted', null],
      ['bob', 'not-reached', { code: 'not-reached' }],
      ['carol', 'not-reached', { code: 'not-reached' }],
    ]);
    // Nothing of bob's or carol's is read; the account's credential report once, for alice.
    expect(live.calls.filter((c) => c.userName !== 'alice' && c.userName !== WHOLE_ACCOUNT)).toEqual([]);
    expect(live.calls.filter((c) => c.userName === WHOLE_ACCOUNT)).toEqual([
      { method: 'readPasswordsLastSet', userName: WHOLE_ACCOUNT },
    ]);
  });
});

/**
 * Generated populations: whatever the mix of exempt users, users tagged since the scan, uses since
 * the scan, scan errors and caps, an exempt user is never written to, the cap is never exceeded, a
 * scan error means no IAM call, and nothing used since the scan is touched.
 */
describe('guards hold for generated populations', () => {
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  interface Population {
    users: UserEntry[];
    live: FakeUserState[];
    exemptInReport: Set<string>;
    taggedSince: Set<string>;
    /** `user password` or `user <key id>`: used after the scan. */
    usedSince: Set<string>;
    settings: RemediationSettings;
  }

  function generate(seed: number): Population {
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] ?? (items[0] as T);
    const idle = () => (next() < 0.5 ? Math.floor(next() * 90) : 90 + Math.floor(next() * 800));
    const population: Population = {
      users: [],
      live: [],
      exemptInReport: new Set(),
      taggedSince: new Set(),
      usedSince: new Set(),
      settings: {
        ...DEFAULTS,
        deactivateAccessKeys: next() < 0.5,
        maxActions: Math.floor(next() * 25),
        maxPercent: pick([0, 10, 20, 50, 100]),
      },
    };
    const withError = next() < 0.2;
    const count = 10 + Math.floor(next() * 50);
    for (let i = 0; i < count; i++) {
      const userName = `user-${seed}-${i}`;
      if (withError && i === 0) {
        population.users.push(errorUser(userName, 'AccessDenied: iam:ListAccessKeys'));
        population.live.push(consoleUser(userName, 400));
        continue;
      }
      const credentials: CredentialEntry[] = [];
      const state: FakeUserState = { userName, accessKeys: [] };
      if (next() < 0.7) {
        const days = idle();
        credentials.push(password(days));
        const usedSince = next() < 0.15;
        if (usedSince) population.usedSince.add(`${userName} password`);
        // Now and then the profile was removed by hand since the scan.
        state.loginProfile = next() < 0.08 ? null : { createdAt: new Date(daysBeforeEvaluation(1000)) };
        state.passwordLastUsedAt = usedSince ? USED_SINCE_SCAN : new Date(daysBeforeEvaluation(days));
      }
      for (const slot of [1, 2] as const) {
        if (next() < 0.5) continue;
        const id = `AKIA${String(seed).padStart(4, '0')}${String(i).padStart(4, '0')}${slot}`;
        const days = idle();
        const active = next() < 0.8;
        const key = keyWithId(slot, id, days, { active });
        credentials.push(active ? key : { ...accessKey(slot, days, { active: false }), accessKeyId: id });
        const usedSince = next() < 0.15;
        if (usedSince) population.usedSince.add(`${userName} ${id}`);
        state.accessKeys?.push({
          accessKeyId: id,
          status: active ? 'Active' : 'Inactive',
          createdAt: new Date(key.createdAt ?? daysBeforeEvaluation(730)),
          lastUsedAt: usedSince ? USED_SINCE_SCAN : new Date(daysBeforeEvaluation(days)),
        });
      }
      const counted = credentials.filter((c) => c.type === 'password' || c.active === true);
      const exempt = next() < 0.15;
      if (exempt) population.exemptInReport.add(userName);
      if (next() < 0.1) {
        population.taggedSince.add(userName);
        state.tags = { 'stale-iam:exempt': 'TRUE' };
      }
      const user =
        counted.length === 0
          ? { ...activeUser(userName), credentials, status: 'no-credentials' as const }
          : counted.every((c) => c.stale)
            ? staleUser(userName, ...credentials)
            : activeUser(userName, ...credentials);
      population.users.push(
        exempt ? { ...user, status: 'exempt', exemptReason: 'user name is exempt' } : user,
      );
      if (next() > 0.03) population.live.push(state);
    }
    return population;
  }

  it.each(Array.from({ length: 60 }, (_, i) => i + 1))('population %i', async (seed) => {
    const population = generate(seed);
    const report = buildReport(population.users);
    const plan = planRemediation(report, population.settings);
    const live = new FakeLiveIam(population.live);

    const records = await executeRemediation(plan, context(live));

    const writes = live.writes();
    for (const write of writes) {
      expect(population.exemptInReport.has(write.userName)).toBe(false);
      expect(population.taggedSince.has(write.userName)).toBe(false);
      expect(population.usedSince.has(`${write.userName} ${write.accessKeyId ?? 'password'}`)).toBe(false);
    }
    expect(writes.length).toBeLessThanOrEqual(population.settings.maxActions);
    if (report.summary.errors > 0 || plan.blocked) expect(live.calls).toEqual([]);
    if (!population.settings.deactivateAccessKeys) {
      expect(writes.filter((w) => w.method === 'deactivateAccessKey')).toEqual([]);
    }
    // Every credential the plan looked at has exactly one record.
    expect(records).toHaveLength(plan.actions.length + plan.exempt.length);
    // Nothing is written for a credential the report did not call stale.
    const staleInReport = new Set(
      population.users.flatMap((u) =>
        u.credentials.filter((c) => c.stale).map((c) => `${u.userName} ${c.accessKeyId ?? 'password'}`),
      ),
    );
    for (const write of writes) {
      expect(staleInReport.has(`${write.userName} ${write.accessKeyId ?? 'password'}`)).toBe(true);
    }
  });

  it.each(Array.from({ length: 20 }, (_, i) => i + 1))(
    'population %i in dry-run sends no write',
    async (seed) => {
      const population = generate(seed);
      const live = new FakeLiveIam(population.live);

      const records = await executeRemediation(
        planRemediation(buildReport(population.users), population.settings),
        context(live, { mode: 'dry-run' }),
      );

      expect(live.writes()).toEqual([]);
      expect(records.some((r) => r.outcome === 'deleted' || r.outcome === 'deactivated')).toBe(false);
    },
  );

  it('generates populations that exercise every outcome the guards produce', async () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      const population = generate(seed);
      const plan = planRemediation(buildReport(population.users), population.settings);
      const records = await executeRemediation(plan, context(new FakeLiveIam(population.live)));
      for (const r of records) seen.add(r.outcome);
    }

    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'already-gone',
        'deactivated',
        'deleted',
        'exempt',
        'skipped-cap',
        'skipped-scan-error',
        'skipped-used-since',
      ]),
    );
  });
});
