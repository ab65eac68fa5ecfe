import {
  CREDENTIAL_SCOPES,
  evaluateUser,
  evaluateUsers,
  idleDaysSince,
  thresholdInstant,
  type CredentialScope,
  type CredentialVerdict,
  type EvaluationSettings,
  type UserVerdict,
} from '../../../src/domain/verdict/evaluate';
import type {
  AccessKeySnapshot,
  IamUserSnapshot,
  UserReading,
} from '../../../src/domain/verdict/user-snapshot';

// Evaluated as of NOW with 90 days: the threshold instant T is 2026-08-30T00:00:00Z.
const NOW = new Date('2026-11-28T00:00:00Z');
const T = new Date('2026-08-30T00:00:00Z');
const DAY_MS = 86_400_000;

const at = (iso: string): Date => new Date(iso);
const secondsBefore = (date: Date, seconds: number): Date => new Date(date.getTime() - seconds * 1000);
const daysBefore = (date: Date, days: number): Date => new Date(date.getTime() - days * DAY_MS);

const LONG_AGO = at('2024-01-15T09:30:00Z');
const RECENTLY = at('2026-11-20T12:00:00Z');

function settings(overrides: Partial<EvaluationSettings> = {}): EvaluationSettings {
  return { thresholdDays: 90, now: NOW, scope: 'all', ...overrides };
}

function user(overrides: Partial<IamUserSnapshot> = {}): IamUserSnapshot {
  const userName = overrides.userName ?? 'alice.tanaka';
  return {
    userName,
    arn: `arn:aws:iam::123456789012:user/${userName}`,
    createdAt: at('2019-06-01T00:00:00Z'),
    passwordLastUsedAt: null,
    loginProfile: null,
    accessKeys: [],
    ...overrides,
  };
}

function consoleUser(
  passwordSetAt: Date,
  passwordLastUsedAt: Date | null,
  overrides: Partial<IamUserSnapshot> = {},
) {
  return user({ loginProfile: { createdAt: passwordSetAt }, passwordLastUsedAt, ...overrides });
}

function key(overrides: Partial<AccessKeySnapshot> = {}): AccessKeySnapshot {
  return {
    accessKeyId: 'AKIAEXAMPLEKEY000001',
    slot: 1,
    status: 'Active',
    createdAt: at('2023-03-01T00:00:00Z'),
    lastUsedAt: RECENTLY,
    ...overrides,
  };
}

function keyUser(...accessKeys: AccessKeySnapshot[]): IamUserSnapshot {
  return user({ userName: 'ci-deploy', accessKeys });
}

function credentialOf(
  verdict: UserVerdict,
  type: CredentialVerdict['type'],
  slot?: 1 | 2,
): CredentialVerdict {
  const found = verdict.credentials.find((c) => c.type === type && (slot === undefined || c.slot === slot));
  if (!found)
    throw new Error(`${verdict.userName} has no ${type} credential${slot ? ` in slot ${slot}` : ''}`);
  return found;
}

describe('threshold instant', () => {
  it('is now minus the threshold in whole days of 86,400 seconds', () => {
    expect(thresholdInstant({ thresholdDays: 90, now: NOW })).toEqual(T);
    expect(thresholdInstant({ thresholdDays: 1, now: NOW })).toEqual(at('2026-11-27T00:00:00Z'));
    expect(thresholdInstant({ thresholdDays: 45, now: at('2026-03-31T12:34:56Z') })).toEqual(
      at('2026-02-14T12:34:56Z'),
    );
  });

  it('does not move with daylight saving time or leap days: days are 86,400 seconds each', () => {
    expect(thresholdInstant({ thresholdDays: 365, now: at('2028-03-01T00:00:00Z') })).toEqual(
      at('2027-03-02T00:00:00Z'),
    );
  });
});

describe('idle days', () => {
  it('is the whole number of days between the reference and now, rounded down', () => {
    expect(idleDaysSince(T, NOW)).toBe(90);
    expect(idleDaysSince(secondsBefore(T, 1), NOW)).toBe(90);
    expect(idleDaysSince(at('2026-08-30T00:00:01Z'), NOW)).toBe(89);
    expect(idleDaysSince(secondsBefore(NOW, 1), NOW)).toBe(0);
    expect(idleDaysSince(NOW, NOW)).toBe(0);
  });

  it('counts a reference after now as zero days, not a negative age', () => {
    expect(idleDaysSince(at('2026-11-29T00:00:00Z'), NOW)).toBe(0);
  });
});

describe('password', () => {
  it('is not stale when last used exactly at the threshold instant', () => {
    const verdict = evaluateUser(consoleUser(LONG_AGO, T), settings());

    expect(credentialOf(verdict, 'password').stale).toBe(false);
    expect(verdict.status).toBe('active');
  });

  it('is stale when last used one second before the threshold instant', () => {
    const verdict = evaluateUser(consoleUser(LONG_AGO, secondsBefore(T, 1)), settings());

    expect(credentialOf(verdict, 'password').stale).toBe(true);
    expect(verdict.status).toBe('stale');
  });

  it('takes its last use as reference when it was used after it was set', () => {
    const lastUsed = at('2026-03-02T11:47:15Z');
    const verdict = evaluateUser(consoleUser(LONG_AGO, lastUsed), settings());

    const password = credentialOf(verdict, 'password');
    expect(password.referenceAt).toEqual(lastUsed);
    expect(password.lastUsedAt).toEqual(lastUsed);
    expect(password.basis).toBe('last-used');
    expect(password.stale).toBe(true);
  });

  it('takes the moment it was set as reference when it was reset after its last use', () => {
    const lastUsed = at('2026-01-10T10:31:02Z');
    const reset = at('2026-11-01T12:00:37Z');
    const verdict = evaluateUser(consoleUser(reset, lastUsed), settings());

    const password = credentialOf(verdict, 'password');
    expect(password.referenceAt).toEqual(reset);
    expect(password.basis).toBe('created');
    expect(password.lastUsedAt).toEqual(lastUsed);
    expect(password.stale).toBe(false);
    expect(verdict.status).toBe('active');
  });

  it('treats a never-used password as idle since the login profile was created', () => {
    const setAt = at('2025-12-01T01:44:10Z');
    const verdict = evaluateUser(consoleUser(setAt, null), settings());

    const password = credentialOf(verdict, 'password');
    expect(password.lastUsedAt).toBeNull();
    expect(password.referenceAt).toEqual(setAt);
    expect(password.basis).toBe('created');
    expect(password.stale).toBe(true);
    expect(verdict.status).toBe('stale');
  });

  it('does not flag an old user who was given a console password yesterday and has not used it yet', () => {
    const yesterday = at('2026-11-27T16:05:40Z');
    const verdict = evaluateUser(
      consoleUser(yesterday, null, { userName: 'haruka.kobayashi', createdAt: at('2020-05-11T03:27:45Z') }),
      settings(),
    );

    const password = credentialOf(verdict, 'password');
    expect(password.referenceAt).toEqual(yesterday);
    expect(password.basis).toBe('created');
    expect(password.stale).toBe(false);
    expect(password.idleDays).toBe(0);
    expect(verdict.status).toBe('active');
  });

  it('applies the boundary to a never-used password too: set exactly at T is not stale, a second earlier is', () => {
    expect(credentialOf(evaluateUser(consoleUser(T, null), settings()), 'password').stale).toBe(false);
    expect(
      credentialOf(evaluateUser(consoleUser(secondsBefore(T, 1), null), settings()), 'password').stale,
    ).toBe(true);
  });

  it('gives no password credential when the login profile is gone, whatever PasswordLastUsed says', () => {
    const verdict = evaluateUser(
      user({ userName: 'james.oconnor', loginProfile: null, passwordLastUsedAt: at('2025-02-14T08:21:39Z') }),
      settings(),
    );

    expect(verdict.credentials).toEqual([]);
    expect(verdict.status).toBe('no-credentials');
    expect(verdict.lastActivityAt).toBeNull();
    expect(verdict.idleDays).toBeNull();
  });

  it('judges a user whose login profile is gone by his keys alone', () => {
    const verdict = evaluateUser(
      user({ passwordLastUsedAt: at('2023-09-08T06:44:12Z'), loginProfile: null, accessKeys: [key()] }),
      settings(),
    );

    expect(verdict.credentials.map((c) => c.type)).toEqual(['access-key']);
    expect(verdict.status).toBe('active');
    expect(verdict.lastActivityAt).toEqual(RECENTLY);
  });
});

describe('access keys', () => {
  it('are not stale when last used exactly at the threshold instant, and stale one second earlier', () => {
    const atBoundary = evaluateUser(keyUser(key({ lastUsedAt: T })), settings());
    const justBefore = evaluateUser(keyUser(key({ lastUsedAt: secondsBefore(T, 1) })), settings());

    expect(credentialOf(atBoundary, 'access-key').stale).toBe(false);
    expect(atBoundary.status).toBe('active');
    expect(credentialOf(justBefore, 'access-key').stale).toBe(true);
    expect(justBefore.status).toBe('stale');
  });

  it('take their last use as reference when they were used', () => {
    const lastUsed = at('2026-04-18T03:00:02Z');
    const verdict = evaluateUser(keyUser(key({ lastUsedAt: lastUsed })), settings());

    const accessKey = credentialOf(verdict, 'access-key');
    expect(accessKey.referenceAt).toEqual(lastUsed);
    expect(accessKey.lastUsedAt).toEqual(lastUsed);
    expect(accessKey.basis).toBe('last-used');
    expect(accessKey.stale).toBe(true);
  });

  it('age a never-used key from its creation date', () => {
    const createdAt = at('2025-10-10T06:29:40Z');
    const verdict = evaluateUser(keyUser(key({ createdAt, lastUsedAt: null })), settings());

    const accessKey = credentialOf(verdict, 'access-key');
    expect(accessKey.lastUsedAt).toBeNull();
    expect(accessKey.referenceAt).toEqual(createdAt);
    expect(accessKey.basis).toBe('created');
    expect(accessKey.stale).toBe(true);
    expect(verdict.status).toBe('stale');
  });

  it('do not flag a never-used key created recently', () => {
    const createdAt = at('2026-11-20T09:16:22Z');
    const verdict = evaluateUser(keyUser(key({ createdAt, lastUsedAt: null })), settings());

    const accessKey = credentialOf(verdict, 'access-key');
    expect(accessKey.basis).toBe('created');
    expect(accessKey.stale).toBe(false);
    expect(accessKey.idleDays).toBe(7);
    expect(verdict.status).toBe('active');
  });

  it('keep a user active when key 1 is fresh, while key 2 is reported stale', () => {
    const verdict = evaluateUser(
      keyUser(
        key({ slot: 1, accessKeyId: 'AKIAEXAMPLEKEY000001', lastUsedAt: at('2026-11-26T07:41:19Z') }),
        key({ slot: 2, accessKeyId: 'AKIAEXAMPLEKEY000002', lastUsedAt: at('2026-06-01T18:09:33Z') }),
      ),
      settings(),
    );

    expect(verdict.status).toBe('active');
    expect(credentialOf(verdict, 'access-key', 1).stale).toBe(false);
    expect(credentialOf(verdict, 'access-key', 2).stale).toBe(true);
    expect(credentialOf(verdict, 'access-key', 2).accessKeyId).toBe('AKIAEXAMPLEKEY000002');
    expect(verdict.lastActivityAt).toEqual(at('2026-11-26T07:41:19Z'));
  });

  it('make a user stale when every active key is stale', () => {
    const verdict = evaluateUser(
      keyUser(
        key({ slot: 1, lastUsedAt: at('2026-02-11T19:58:37Z') }),
        key({ slot: 2, lastUsedAt: at('2025-12-24T06:02:19Z') }),
      ),
      settings(),
    );

    expect(verdict.status).toBe('stale');
    expect(verdict.credentials.every((c) => c.stale)).toBe(true);
    expect(verdict.lastActivityAt).toEqual(at('2026-02-11T19:58:37Z'));
  });

  it('are listed in slot order whatever order the source gave them in, without reordering the input', () => {
    const keys = [key({ slot: 2, accessKeyId: 'AKIA2' }), key({ slot: 1, accessKeyId: 'AKIA1' })];
    const input = keyUser(...keys);

    const verdict = evaluateUser(input, settings());

    expect(verdict.credentials.map((c) => c.slot)).toEqual([1, 2]);
    expect(verdict.credentials.map((c) => c.accessKeyId)).toEqual(['AKIA1', 'AKIA2']);
    expect(input.accessKeys.map((k) => k.slot)).toEqual([2, 1]);
  });

  it('carry the access key id from the source, and null when the source does not name keys', () => {
    const named = evaluateUser(keyUser(key({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE' })), settings());
    const unnamed = evaluateUser(keyUser(key({ accessKeyId: null })), settings());

    expect(credentialOf(named, 'access-key').accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(credentialOf(unnamed, 'access-key').accessKeyId).toBeNull();
  });

  describe('only Active keys count', () => {
    const oldInactive = key({
      slot: 1,
      status: 'Inactive',
      createdAt: at('2018-04-02T02:05:31Z'),
      lastUsedAt: at('2022-12-01T16:48:03Z'),
    });

    it('lists an inactive old key with active=false and stale=false', () => {
      const verdict = evaluateUser(keyUser(oldInactive), settings());

      const accessKey = credentialOf(verdict, 'access-key', 1);
      expect(accessKey.active).toBe(false);
      expect(accessKey.stale).toBe(false);
      expect(accessKey.referenceAt).toEqual(at('2022-12-01T16:48:03Z'));
      expect(accessKey.basis).toBe('last-used');
      expect(accessKey.idleDays).toBeGreaterThan(90);
    });

    it('does not make a user stale with an inactive old key alone: he has no credentials that count', () => {
      const verdict = evaluateUser(keyUser(oldInactive), settings());

      expect(verdict.status).toBe('no-credentials');
      expect(verdict.lastActivityAt).toBeNull();
      expect(verdict.idleDays).toBeNull();
    });

    it('does not let an inactive old key make an otherwise active user stale', () => {
      const verdict = evaluateUser(
        keyUser(oldInactive, key({ slot: 2, lastUsedAt: at('2026-11-27T22:59:30Z') })),
        settings(),
      );

      expect(verdict.status).toBe('active');
      expect(verdict.lastActivityAt).toEqual(at('2026-11-27T22:59:30Z'));
    });

    it('does not let a recently used inactive key keep a stale user active', () => {
      const recentlyDeactivated = key({
        slot: 2,
        status: 'Inactive',
        lastUsedAt: at('2026-11-27T10:00:00Z'),
      });
      const verdict = evaluateUser(
        user({
          loginProfile: { createdAt: LONG_AGO },
          passwordLastUsedAt: at('2026-02-14T07:07:07Z'),
          accessKeys: [recentlyDeactivated],
        }),
        settings(),
      );

      expect(credentialOf(verdict, 'access-key', 2)).toMatchObject({ active: false, stale: false });
      expect(verdict.status).toBe('stale');
      expect(verdict.lastActivityAt).toEqual(at('2026-02-14T07:07:07Z'));
    });

    it('marks an active key active=true', () => {
      expect(credentialOf(evaluateUser(keyUser(key()), settings()), 'access-key').active).toBe(true);
    });
  });
});

describe('user status', () => {
  it('is stale when the user has credentials in scope and all of them are stale', () => {
    const verdict = evaluateUser(
      consoleUser(LONG_AGO, at('2025-10-02T09:18:37Z'), {
        accessKeys: [key({ lastUsedAt: at('2025-09-30T23:40:15Z') })],
      }),
      settings(),
    );

    expect(verdict.status).toBe('stale');
  });

  it('is active when at least one credential in scope is fresh, even though another is stale', () => {
    const verdict = evaluateUser(
      consoleUser(LONG_AGO, at('2026-02-14T07:07:07Z'), { accessKeys: [key({ lastUsedAt: RECENTLY })] }),
      settings(),
    );

    expect(verdict.status).toBe('active');
    expect(credentialOf(verdict, 'password').stale).toBe(true);
    expect(credentialOf(verdict, 'access-key').stale).toBe(false);
  });

  it('is active when the password is fresh and the key is stale', () => {
    const verdict = evaluateUser(
      consoleUser(LONG_AGO, RECENTLY, { accessKeys: [key({ lastUsedAt: at('2026-01-05T10:16:43Z') })] }),
      settings(),
    );

    expect(verdict.status).toBe('active');
    expect(credentialOf(verdict, 'access-key').stale).toBe(true);
  });

  it('is no-credentials for a user with neither password nor keys', () => {
    const verdict = evaluateUser(user({ userName: 'readonly-auditor' }), settings());

    expect(verdict).toMatchObject({
      userName: 'readonly-auditor',
      status: 'no-credentials',
      lastActivityAt: null,
      idleDays: null,
      credentials: [],
    });
    expect(verdict).not.toHaveProperty('error');
  });

  it('carries the user name, ARN and creation time through', () => {
    const subject = user({ userName: 'mika.sato', createdAt: at('2019-11-20T04:15:33Z') });

    const verdict = evaluateUser(subject, settings());

    expect(verdict.userName).toBe('mika.sato');
    expect(verdict.arn).toBe('arn:aws:iam::123456789012:user/mika.sato');
    expect(verdict.createdAt).toEqual(at('2019-11-20T04:15:33Z'));
  });

  it('is error for a user the source could not read, with the reason, and the others are still evaluated', () => {
    const readings: UserReading[] = [
      { kind: 'read', user: consoleUser(LONG_AGO, at('2026-03-02T11:47:15Z'), { userName: 'mika.sato' }) },
      {
        kind: 'unreadable',
        user: {
          userName: 'locked-down',
          arn: 'arn:aws:iam::123456789012:user/locked-down',
          createdAt: at('2022-01-01T00:00:00Z'),
          reason: 'AccessDenied: User is not authorized to perform: iam:ListAccessKeys',
        },
      },
      { kind: 'read', user: keyUser(key()) },
    ];

    const verdicts = evaluateUsers(readings, settings());

    expect(verdicts.map((v) => [v.userName, v.status])).toEqual([
      ['mika.sato', 'stale'],
      ['locked-down', 'error'],
      ['ci-deploy', 'active'],
    ]);
    expect(verdicts[1]).toEqual({
      userName: 'locked-down',
      arn: 'arn:aws:iam::123456789012:user/locked-down',
      createdAt: at('2022-01-01T00:00:00Z'),
      status: 'error',
      lastActivityAt: null,
      idleDays: null,
      credentials: [],
      error: 'AccessDenied: User is not authorized to perform: iam:ListAccessKeys',
    });
  });

  it('keeps an unknown creation time of an unreadable user as null', () => {
    const [verdict] = evaluateUsers(
      [
        {
          kind: 'unreadable',
          user: {
            userName: 'ghost',
            arn: 'arn:aws:iam::123456789012:user/ghost',
            createdAt: null,
            reason: 'gone',
          },
        },
      ],
      settings(),
    );

    expect(verdict?.createdAt).toBeNull();
    expect(verdict?.status).toBe('error');
  });

  it('never reports exempt on its own: exemptions are applied to the verdicts afterwards (applyExemptions)', () => {
    const verdicts = evaluateUsers(
      [
        { kind: 'read', user: user() },
        { kind: 'read', user: keyUser(key()) },
        { kind: 'read', user: keyUser(key({ lastUsedAt: LONG_AGO })) },
      ],
      settings(),
    );

    expect(verdicts.map((v) => v.status)).toEqual(['no-credentials', 'active', 'stale']);
  });

  it('evaluates an empty list to no verdicts', () => {
    expect(evaluateUsers([], settings())).toEqual([]);
  });
});

describe('idle days and last activity', () => {
  it('gives each credential floor((now - reference) / 86,400 s) idle days', () => {
    const verdict = evaluateUser(
      consoleUser(LONG_AGO, at('2026-08-30T00:00:01Z'), {
        accessKeys: [key({ lastUsedAt: at('2026-11-27T00:00:00Z') })],
      }),
      settings(),
    );

    expect(credentialOf(verdict, 'password').idleDays).toBe(89);
    expect(credentialOf(verdict, 'access-key').idleDays).toBe(1);
  });

  it('sets lastActivityAt to the latest reference among the counted credentials, and idleDays from it', () => {
    const verdict = evaluateUser(
      consoleUser(LONG_AGO, at('2026-02-14T07:07:07Z'), {
        accessKeys: [
          key({ slot: 1, lastUsedAt: at('2026-11-26T11:05:48Z') }),
          key({ slot: 2, lastUsedAt: at('2026-05-01T04:12:48Z') }),
        ],
      }),
      settings(),
    );

    expect(verdict.lastActivityAt).toEqual(at('2026-11-26T11:05:48Z'));
    expect(verdict.idleDays).toBe(1);
  });

  it('uses the creation of a never-used credential as its activity', () => {
    const verdict = evaluateUser(consoleUser(at('2026-11-27T16:05:40Z'), null), settings());

    expect(verdict.lastActivityAt).toEqual(at('2026-11-27T16:05:40Z'));
    expect(verdict.idleDays).toBe(0);
  });

  it('ignores an inactive key for lastActivityAt even when it is the most recent', () => {
    const verdict = evaluateUser(
      keyUser(
        key({ slot: 1, lastUsedAt: at('2026-10-01T00:00:00Z') }),
        key({ slot: 2, status: 'Inactive', lastUsedAt: at('2026-11-27T00:00:00Z') }),
      ),
      settings(),
    );

    expect(verdict.lastActivityAt).toEqual(at('2026-10-01T00:00:00Z'));
    expect(verdict.idleDays).toBe(58);
  });

  it('gives the stale user idle days beyond the threshold', () => {
    const verdict = evaluateUser(keyUser(key({ lastUsedAt: daysBefore(NOW, 200) })), settings());

    expect(verdict.status).toBe('stale');
    expect(verdict.idleDays).toBe(200);
  });
});

describe('threshold days', () => {
  it('moves the verdict with the number of days', () => {
    const subject = keyUser(key({ lastUsedAt: daysBefore(NOW, 60) }));

    expect(evaluateUser(subject, settings({ thresholdDays: 90 })).status).toBe('active');
    expect(evaluateUser(subject, settings({ thresholdDays: 45 })).status).toBe('stale');
    expect(evaluateUser(subject, settings({ thresholdDays: 60 })).status).toBe('active');
    expect(evaluateUser(subject, settings({ thresholdDays: 59 })).status).toBe('stale');
  });

  it('judges as of the instant it is given, not the clock', () => {
    const subject = keyUser(key({ lastUsedAt: at('2026-11-01T00:00:00Z') }));

    expect(evaluateUser(subject, settings({ now: at('2027-06-01T00:00:00Z') })).status).toBe('stale');
    expect(evaluateUser(subject, settings({ now: at('2026-12-01T00:00:00Z') })).status).toBe('active');
  });
});

describe('credential scope', () => {
  const both = consoleUser(LONG_AGO, at('2026-02-14T07:07:07Z'), {
    userName: 'kaito.shimizu',
    accessKeys: [key({ lastUsedAt: RECENTLY })],
  });
  const consoleOnly = consoleUser(LONG_AGO, RECENTLY, { userName: 'alice.tanaka' });
  const keyOnly = keyUser(key({ lastUsedAt: LONG_AGO }));

  const evaluate = (subject: IamUserSnapshot, scope: CredentialScope) =>
    evaluateUser(subject, settings({ scope }));

  it('offers all, password and access-key', () => {
    expect([...CREDENTIAL_SCOPES]).toEqual(['all', 'password', 'access-key']);
  });

  it('all: judges passwords and keys together', () => {
    const verdict = evaluate(both, 'all');

    expect(verdict.credentials.map((c) => c.type)).toEqual(['password', 'access-key']);
    expect(verdict.status).toBe('active');
  });

  it('password: ignores keys, so a stale password makes the user stale despite a fresh key', () => {
    const verdict = evaluate(both, 'password');

    expect(verdict.credentials.map((c) => c.type)).toEqual(['password']);
    expect(verdict.status).toBe('stale');
    expect(verdict.lastActivityAt).toEqual(at('2026-02-14T07:07:07Z'));
  });

  it('password: a key-only user has no credentials in scope', () => {
    const verdict = evaluate(keyOnly, 'password');

    expect(verdict.credentials).toEqual([]);
    expect(verdict.status).toBe('no-credentials');
    expect(verdict.lastActivityAt).toBeNull();
  });

  it('access-key: ignores passwords, so the fresh key keeps the user active', () => {
    const verdict = evaluate(both, 'access-key');

    expect(verdict.credentials.map((c) => c.type)).toEqual(['access-key']);
    expect(verdict.status).toBe('active');
  });

  it('access-key: a console-only user has no credentials in scope', () => {
    const verdict = evaluate(consoleOnly, 'access-key');

    expect(verdict.credentials).toEqual([]);
    expect(verdict.status).toBe('no-credentials');
  });

  it('access-key: a fresh password does not keep a user with a stale key active', () => {
    const verdict = evaluate(
      consoleUser(LONG_AGO, RECENTLY, { accessKeys: [key({ lastUsedAt: LONG_AGO })] }),
      'access-key',
    );

    expect(verdict.status).toBe('stale');
  });
});
