import {
  SMALL_ACCOUNT_ALLOWANCE,
  allowedLosses,
  planRemediation,
  type PlannedAction,
  type RemediationPlan,
  type RemediationSettings,
} from '../../../src/domain/remediation/plan';
import type { ScanReport, UserEntry } from '../../../src/domain/report/scan-report';
import { SERVICE_DEFAULTS, exemptUser, keyWithId, capShare } from '../../support/remediation-builders';
import {
  accessKey,
  activeUser,
  buildReport,
  errorUser,
  noCredentialsUser,
  password,
  staleUser,
} from '../../support/report-builder';

/** The shipped defaults: keys left alone, at most 10 actions and 20% of the holders per run, floor 30 days. */
const DEFAULTS: RemediationSettings = SERVICE_DEFAULTS;
const WITH_KEYS: RemediationSettings = { ...DEFAULTS, deactivateAccessKeys: true };
/** No cap in the way, for tests about what is planned rather than how much. */
const UNCAPPED: RemediationSettings = { ...DEFAULTS, maxActions: 10_000, maxPercent: 100 };

function plan(users: readonly UserEntry[], settings: RemediationSettings = UNCAPPED): RemediationPlan {
  return planRemediation(buildReport(users), settings);
}

function describeActions(actions: readonly PlannedAction[]): string[] {
  return actions.map(
    (a) =>
      `${a.userName} ${a.action}${a.credential.type === 'access-key' ? ` slot ${a.credential.slot ?? '?'}` : ''}`,
  );
}

/** `n` users with a fresh password, named `<prefix>-00`, `<prefix>-01` ... */
function freshConsoleUsers(n: number, prefix = 'fresh'): UserEntry[] {
  return Array.from({ length: n }, (_, i) =>
    activeUser(`${prefix}-${String(i).padStart(2, '0')}`, password(3)),
  );
}

function staleConsoleUsers(n: number, prefix = 'idle'): UserEntry[] {
  return Array.from({ length: n }, (_, i) =>
    staleUser(`${prefix}-${String(i).padStart(2, '0')}`, password(200)),
  );
}

describe('what the plan acts on', () => {
  it('plans to delete the login profile of a stale console password', () => {
    const result = plan([staleUser('ren', password(180))]);

    expect(result.blocked).toBeNull();
    expect(result.actions).toEqual([
      {
        userName: 'ren',
        arn: 'arn:aws:iam::123456789012:user/ren',
        action: 'delete-login-profile',
        credential: password(180),
      },
    ]);
    expect(result.exempt).toEqual([]);
  });

  it('plans nothing for fresh credentials, users without credentials, or a clean account', () => {
    const result = plan([
      activeUser('sota', password(3), accessKey(1, 10)),
      noCredentialsUser('kaito'),
      activeUser('almost', password(89)),
    ]);

    expect(result.actions).toEqual([]);
    expect(result.exempt).toEqual([]);
    expect(result.blocked).toBeNull();
  });

  it('acts only on the stale credential of an active user, never on the fresh one', () => {
    const result = plan([activeUser('haruto', password(200), accessKey(1, 1))], WITH_KEYS);

    expect(describeActions(result.actions)).toEqual(['haruto delete-login-profile']);
  });

  it('leaves stale access keys alone by default', () => {
    const result = plan([staleUser('ci', accessKey(1, 300), accessKey(2, 400))]);

    expect(result.actions).toEqual([]);
    expect(result.blocked).toBeNull();
  });

  it('deactivates stale active keys only when the key switch is on', () => {
    const result = plan([staleUser('ci', password(200), accessKey(1, 300), accessKey(2, 400))], {
      ...UNCAPPED,
      deactivateAccessKeys: true,
    });

    expect(describeActions(result.actions)).toEqual([
      'ci delete-login-profile',
      'ci deactivate-access-key slot 1',
      'ci deactivate-access-key slot 2',
    ]);
  });

  it('never plans anything for an inactive key, even one marked stale', () => {
    const inactiveButMarkedStale = { ...accessKey(2, 400, { active: false }), stale: true };
    const result = plan([staleUser('ci', accessKey(1, 300), inactiveButMarkedStale)], {
      ...UNCAPPED,
      deactivateAccessKeys: true,
    });

    expect(describeActions(result.actions)).toEqual(['ci deactivate-access-key slot 1']);
  });

  it('carries the credential from the report, key id included, so the re-check can find it', () => {
    const key = keyWithId(1, 'AKIAIOSFODNN7EXAMPLE', 300);
    const [action] = plan([staleUser('ci', key)], { ...UNCAPPED, deactivateAccessKeys: true }).actions;

    expect(action?.credential).toEqual(key);
    expect(action?.credential.accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
  });
});

describe('exempt users', () => {
  it("puts an exempt user's stale credentials under exempt, never under actions", () => {
    const result = plan(
      [
        exemptUser('breakglass', 'tag stale-iam:exempt=true', password(400), accessKey(1, 500)),
        staleUser('ren', password(180)),
      ],
      WITH_KEYS,
    );

    expect(describeActions(result.exempt)).toEqual([
      'breakglass delete-login-profile',
      'breakglass deactivate-access-key slot 1',
    ]);
    expect(describeActions(result.actions)).toEqual(['ren delete-login-profile']);
    expect(result.actions.some((a) => a.userName === 'breakglass')).toBe(false);
  });

  it('lists no fresh credential of an exempt user', () => {
    const result = plan(
      [exemptUser('admin', 'user name is exempt', password(3), accessKey(1, 2))],
      WITH_KEYS,
    );

    expect(result.exempt).toEqual([]);
    expect(result.actions).toEqual([]);
  });

  it('keeps exempt users out of actions when the plan is blocked too', () => {
    const result = plan(
      [exemptUser('breakglass', 'tag stale-iam:exempt=true', password(400)), errorUser('x', 'AccessDenied')],
      DEFAULTS,
    );

    expect(result.blocked?.code).toBe('scan-errors');
    expect(describeActions(result.exempt)).toEqual(['breakglass delete-login-profile']);
    expect(result.actions).toEqual([]);
  });
});

describe('a scan error blocks the whole run', () => {
  it('blocks the plan when one user of fifty could not be evaluated', () => {
    const users = [
      ...staleConsoleUsers(2),
      ...freshConsoleUsers(47),
      errorUser('locked-down', 'AccessDenied: iam:ListAccessKeys'),
    ];

    const result = plan(users, DEFAULTS);

    expect(result.blocked).toEqual({ code: 'scan-errors', errors: 1, users: 50 });
    // What was held back is still listed, so the audit trail can say so credential by credential.
    expect(describeActions(result.actions)).toEqual([
      'idle-00 delete-login-profile',
      'idle-01 delete-login-profile',
    ]);
  });

  it('blocks even when nothing would have been done', () => {
    const result = plan([activeUser('sota'), errorUser('locked-down', 'AccessDenied')], DEFAULTS);

    expect(result.blocked?.code).toBe('scan-errors');
    expect(result.actions).toEqual([]);
  });

  it('names the scan errors, not the cap, when both apply', () => {
    const result = plan([...staleConsoleUsers(11), errorUser('locked-down', 'AccessDenied')], DEFAULTS);

    expect(result.blocked?.code).toBe('scan-errors');
  });

  it('counts the errors from the users listed, not from what the summary says', () => {
    const users = [
      ...staleConsoleUsers(2),
      ...freshConsoleUsers(17),
      errorUser('locked-down', 'AccessDenied'),
    ];
    const report = buildReport(users);
    const tampered: ScanReport = {
      ...report,
      partial: false,
      summary: { ...report.summary, errors: 0, users: report.summary.users - 1 },
    };

    const result = planRemediation(tampered, DEFAULTS);

    expect(result.blocked).toEqual({ code: 'scan-errors', errors: 1, users: 20 });
  });

  it('never plans an action for the user in error itself', () => {
    const inError: UserEntry = { ...errorUser('locked-down', 'AccessDenied'), credentials: [password(400)] };
    const result = plan([inError], UNCAPPED);

    expect(result.actions).toEqual([]);
    expect(result.exempt).toEqual([]);
  });
});

describe('cap on the number of actions per run', () => {
  it('blocks a plan of 11 actions at the default cap of 10', () => {
    const result = plan([...staleConsoleUsers(11), ...freshConsoleUsers(89)], DEFAULTS);

    expect(result.blocked).toEqual({ code: 'cap-actions', planned: 11, maxActions: 10 });
  });

  it('allows a plan of exactly 10 actions', () => {
    const result = plan([...staleConsoleUsers(10), ...freshConsoleUsers(90)], DEFAULTS);

    expect(result.blocked).toBeNull();
    expect(result.actions).toHaveLength(10);
  });

  it('counts actions, not users: one user with a password and two keys is three actions', () => {
    const users = [
      staleUser('ci', password(200), accessKey(1, 300), accessKey(2, 400)),
      ...freshConsoleUsers(20),
      ...Array.from({ length: 20 }, (_, i) => activeUser(`svc-${i}`, accessKey(1, 1))),
    ];

    expect(plan(users, { ...WITH_KEYS, maxActions: 3 }).blocked).toBeNull();
    expect(plan(users, { ...WITH_KEYS, maxActions: 2 }).blocked?.code).toBe('cap-actions');
  });

  it("does not count exempt users' credentials against the cap", () => {
    const users = [
      ...staleConsoleUsers(10),
      ...Array.from({ length: 5 }, (_, i) => exemptUser(`admin-${i}`, 'user name is exempt', password(400))),
      ...freshConsoleUsers(85),
    ];

    expect(plan(users, DEFAULTS).blocked).toBeNull();
  });

  it('refuses a plan over the cap whole: every action is held back, none trimmed to fit', () => {
    const result = plan([...staleConsoleUsers(11), ...freshConsoleUsers(89)], DEFAULTS);

    expect(result.blocked?.code).toBe('cap-actions');
    // All 11 are listed as held back; a trimmed plan would list 10 and act on them.
    expect(result.actions).toHaveLength(11);
  });
});

describe('cap on the share of holders per credential type', () => {
  it('blocks 3 of 10 password holders at 20%', () => {
    const result = plan([...staleConsoleUsers(3), ...freshConsoleUsers(7)], DEFAULTS);

    expect(result.blocked).toEqual(capShare(3, 10, 2));
  });

  it('allows 2 of 10 password holders at 20%', () => {
    const result = plan([...staleConsoleUsers(2), ...freshConsoleUsers(8)], DEFAULTS);

    expect(result.blocked).toBeNull();
    expect(result.actions).toHaveLength(2);
  });

  it('counts only users holding the credential type: users with keys or nothing do not dilute it', () => {
    const users = [
      ...staleConsoleUsers(3),
      ...freshConsoleUsers(2),
      ...Array.from({ length: 50 }, (_, i) => activeUser(`svc-${i}`, accessKey(1, 1))),
      ...Array.from({ length: 50 }, (_, i) => noCredentialsUser(`empty-${i}`)),
    ];

    expect(plan(users, DEFAULTS).blocked).toEqual(capShare(3, 5, 2));
  });

  it('counts exempt users among the holders: they hold a password too', () => {
    // 2 of 10 holders with the exempt user counted; 2 of 9 (22%) if it were left out.
    const users = [
      ...staleConsoleUsers(2),
      exemptUser('breakglass', 'tag stale-iam:exempt=true', password(400)),
      ...freshConsoleUsers(7),
    ];

    expect(plan(users, DEFAULTS).blocked).toBeNull();
  });

  it('applies the share to active access keys separately when the key switch is on', () => {
    const users = [
      ...freshConsoleUsers(20),
      staleUser('ci-1', accessKey(1, 300)),
      staleUser('ci-2', accessKey(1, 300)),
      activeUser('svc-1', accessKey(1, 1)),
    ];

    expect(plan(users, WITH_KEYS).blocked).toEqual(capShare(2, 3, 1, 'access-key'));
    // With the switch off no key is planned, so the key share cannot block.
    expect(plan(users, DEFAULTS).blocked).toBeNull();
  });

  it('does not count inactive keys as holdings', () => {
    // 3 of 10 active-key holders: 2 may go. Counted with 5 inactive-only users it would be 3 of 15 (20%).
    const users = [
      ...Array.from({ length: 3 }, (_, i) => staleUser(`ci-${i}`, accessKey(1, 300))),
      ...Array.from({ length: 7 }, (_, i) => activeUser(`svc-${i}`, accessKey(1, 1))),
      ...Array.from({ length: 5 }, (_, i) =>
        activeUser(`old-${i}`, password(1), accessKey(1, 500, { active: false })),
      ),
    ];
    const fiveMoreActiveHolders = [
      ...users,
      ...Array.from({ length: 5 }, (_, i) => activeUser(`new-${i}`, accessKey(1, 1))),
    ];

    expect(plan(users, WITH_KEYS).blocked).toEqual(
      expect.objectContaining({ code: 'cap-share', affected: 3, holders: 10, allowed: 2 }),
    );
    expect(plan(fiveMoreActiveHolders, WITH_KEYS).blocked).toBeNull();
  });

  it('counts users, not keys: a user losing both keys is one user', () => {
    const users = [
      staleUser('ci-1', accessKey(1, 300), accessKey(2, 300)),
      staleUser('ci-2', accessKey(1, 300), accessKey(2, 300)),
      ...Array.from({ length: 8 }, (_, i) => activeUser(`svc-${i}`, accessKey(1, 1))),
    ];

    const result = plan(users, WITH_KEYS);

    expect(result.blocked).toBeNull();
    expect(result.actions).toHaveLength(4);
  });

  it('refuses a plan over the share whole, listing every action it held back', () => {
    const result = plan([...staleConsoleUsers(3), ...freshConsoleUsers(7)], DEFAULTS);

    expect(result.blocked?.code).toBe('cap-share');
    expect(result.actions).toHaveLength(3);
  });

  it('honours a custom percentage', () => {
    const users = [...staleConsoleUsers(3), ...freshConsoleUsers(7)];

    expect(plan(users, { ...DEFAULTS, maxPercent: 30 }).blocked).toBeNull();
    expect(plan(users, { ...DEFAULTS, maxPercent: 29 }).blocked?.code).toBe('cap-share');
  });
});

describe('a small account is remediated with the default caps, a fat-fingered threshold still is not', () => {
  it('lets 2 of the 6 console users of a 10-user account lose their stale passwords at 20%', () => {
    const users = [
      ...staleConsoleUsers(2),
      ...freshConsoleUsers(4),
      ...Array.from({ length: 4 }, (_, i) => noCredentialsUser(`robot-${i}`)),
    ];

    const result = plan(users, DEFAULTS);

    expect(result.blocked).toBeNull();
    expect(describeActions(result.actions)).toEqual([
      'idle-00 delete-login-profile',
      'idle-01 delete-login-profile',
    ]);
  });

  it('refuses a threshold that makes every console user of the same account stale', () => {
    const result = plan([...staleConsoleUsers(6), ...freshConsoleUsers(0)], DEFAULTS);

    expect(result.blocked).toEqual(
      expect.objectContaining({ code: 'cap-share', affected: 6, holders: 6, allowed: 2 }),
    );
  });

  it('never lets more than half of the holders lose a credential through the small-account allowance', () => {
    expect(plan([...staleConsoleUsers(2), ...freshConsoleUsers(1)], DEFAULTS).blocked).toEqual(
      expect.objectContaining({ code: 'cap-share', affected: 2, holders: 3, allowed: 1 }),
    );
    expect(plan([...staleConsoleUsers(2), ...freshConsoleUsers(2)], DEFAULTS).blocked).toBeNull();
    expect(plan([staleUser('only', password(200))], DEFAULTS).blocked).toEqual(
      expect.objectContaining({ code: 'cap-share', affected: 1, holders: 1, allowed: 0 }),
    );
  });

  it('allows the larger of the share and the allowance, and nothing at all at 0%', () => {
    expect(SMALL_ACCOUNT_ALLOWANCE).toBe(2);
    expect([4, 5, 6, 10, 14, 15, 100].map((holders) => allowedLosses(holders, 20))).toEqual([
      2, 2, 2, 2, 2, 3, 20,
    ]);
    expect(allowedLosses(100, 0)).toBe(0);
    expect(
      plan([staleUser('one', password(200)), ...freshConsoleUsers(99)], { ...DEFAULTS, maxPercent: 0 })
        .blocked,
    ).toEqual(expect.objectContaining({ code: 'cap-share', allowed: 0 }));
  });
});

describe('the floor for enforcing', () => {
  const sevenDays = (users: readonly UserEntry[]) => buildReport(users, { thresholdDays: 7 });

  it('acts on nothing in enforce when the threshold is under minEnforceDays, saying so', () => {
    const result = planRemediation(
      sevenDays([staleUser('ren', password(180)), ...freshConsoleUsers(9)]),
      DEFAULTS,
    );

    expect(result.blocked).toEqual({ code: 'below-floor', thresholdDays: 7, minEnforceDays: 30 });
    expect(describeActions(result.actions)).toEqual(['ren delete-login-profile']);
  });

  it('still shows in dry-run what would be done, noting that enforcing would not', () => {
    const result = planRemediation(sevenDays([staleUser('ren', password(180)), ...freshConsoleUsers(9)]), {
      ...DEFAULTS,
      mode: 'dry-run',
    });

    expect(result.blocked).toBeNull();
    expect(result.belowFloor).toEqual({ thresholdDays: 7, minEnforceDays: 30 });
    expect(describeActions(result.actions)).toEqual(['ren delete-login-profile']);
  });

  it('acts at a threshold equal to the floor', () => {
    const report = buildReport([staleUser('ren', password(180)), ...freshConsoleUsers(9)], {
      thresholdDays: 30,
    });

    const result = planRemediation(report, DEFAULTS);

    expect(result.blocked).toBeNull();
    expect(result.belowFloor).toBeNull();
  });
});

describe('planning is pure', () => {
  it('does not change the report it plans from', () => {
    const report: ScanReport = buildReport([staleUser('ren', password(180)), ...freshConsoleUsers(9)]);
    const copy = structuredClone(report);

    planRemediation(report, DEFAULTS);

    expect(report).toEqual(copy);
  });
});
