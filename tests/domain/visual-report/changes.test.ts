import { changesSince } from '../../../src/domain/visual-report/changes';
import type { RemediationSummary } from '../../../src/domain/remediation/summary';
import type { CredentialEntry } from '../../../src/domain/report/scan-report';
import {
  accessKey,
  activeUser,
  buildReport,
  errorUser,
  password,
  staleUser,
} from '../../support/report-builder';

const withId = (key: CredentialEntry, accessKeyId: string): CredentialEntry => ({ ...key, accessKeyId });
const created = (key: CredentialEntry, iso: string): CredentialEntry => ({
  ...key,
  createdAt: new Date(iso),
});

function summary(overrides: Partial<RemediationSummary> = {}): RemediationSummary {
  return {
    mode: 'enforce',
    deactivateAccessKeys: true,
    auditKey: 'audit/123456789012/2026/11/28/disable-2026-11-28T000000Z.jsonl',
    blocked: null,
    belowFloor: null,
    counts: { deleted: 1, deactivated: 1, exempt: 1 },
    items: [
      {
        userName: 'ann',
        credential: { type: 'password', accessKeyId: null, slot: null },
        outcome: 'deleted',
        reason: null,
      },
      {
        userName: 'bob',
        credential: { type: 'access-key', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', slot: 1 },
        outcome: 'deactivated',
        reason: null,
      },
      {
        userName: 'cyd',
        credential: { type: 'password', accessKeyId: null, slot: null },
        outcome: 'exempt',
        reason: { code: 'exempt-in-report' },
      },
    ],
    itemsOmitted: 0,
    ...overrides,
  };
}

describe('changesSince', () => {
  it('compares nothing on the first run', () => {
    const changes = changesSince(null, buildReport([staleUser('ann')]), undefined);
    expect(changes).toEqual({
      previousAt: null,
      newlyStale: [],
      noLongerStale: [],
      notComparable: 0,
      caveats: [],
      disabled: null,
    });
  });

  it('says why each credential became stale: crossed the threshold, new user, new credential, key made active again', () => {
    const before = buildReport([
      activeUser('ann', password(80)),
      activeUser('bob', password(3)),
      activeUser('cyd', password(3), withId(accessKey(1, 200, { active: false }), 'AKIACYDCYDCYDCYDCYD1')),
    ]);
    const now = buildReport([
      staleUser('ann', password(95)),
      activeUser('bob', password(3), withId(accessKey(1, 120), 'AKIABOBBOBBOBBOBBOB1')),
      activeUser('cyd', password(3), withId(accessKey(1, 200), 'AKIACYDCYDCYDCYDCYD1')),
      staleUser('dan', password(400)),
    ]);

    const { newlyStale, noLongerStale } = changesSince(before, now, undefined);

    expect(newlyStale.map((c) => [c.userName, c.credential.type, c.idleDays, c.reason])).toEqual([
      ['ann', 'password', 95, 'crossed-threshold'],
      ['bob', 'access-key', 120, 'new-credential'],
      ['cyd', 'access-key', 200, 'reactivated'],
      ['dan', 'password', 400, 'new-user'],
    ]);
    expect(noLongerStale).toEqual([]);
  });

  it('says why each credential stopped being stale: used again, password set again, deactivated, removed, user deleted', () => {
    const key = (id: string, idle: number, active = true) => withId(accessKey(1, idle, { active }), id);
    const before = buildReport([
      staleUser('ann', password(120)),
      staleUser('bob', password(120, { never: true })),
      staleUser('cyd', key('AKIACYDCYDCYDCYDCYD1', 150)),
      staleUser('dan', password(100), key('AKIADANDANDANDANDAN1', 150)),
      staleUser('eve', password(300)),
    ]);
    const now = buildReport([
      activeUser('ann', password(2)),
      activeUser('bob', password(1, { never: true })),
      activeUser('cyd', password(1), key('AKIACYDCYDCYDCYDCYD1', 150, false)),
      staleUser('dan', password(100)),
    ]);

    const { noLongerStale, newlyStale } = changesSince(before, now, undefined);

    expect(noLongerStale.map((c) => [c.userName, c.credential.type, c.reason])).toEqual([
      ['ann', 'password', 'used-again'],
      ['bob', 'password', 'reset'],
      ['cyd', 'access-key', 'deactivated'],
      ['dan', 'access-key', 'credential-removed'],
      ['eve', 'password', 'user-deleted'],
    ]);
    expect(newlyStale).toEqual([]);
  });

  it('names a threshold change as the reason, and as a caveat of the whole comparison', () => {
    const before = buildReport([staleUser('ann', password(100))]);
    const now = buildReport([activeUser('ann', password(100, { thresholdDays: 180 }))], {
      thresholdDays: 180,
    });

    const changes = changesSince(before, now, undefined);

    expect(changes.noLongerStale.map((c) => c.reason)).toEqual(['threshold-changed']);
    expect(changes.caveats).toEqual([{ kind: 'threshold', before: 90, now: 180 }]);
  });

  it('lists no change for a user who could not be evaluated in either run, and counts them', () => {
    const before = buildReport([staleUser('ann'), errorUser('bob', 'AccessDenied')]);
    const now = buildReport([errorUser('ann', 'Throttling'), staleUser('bob')]);

    const changes = changesSince(before, now, undefined);

    expect(changes.newlyStale).toEqual([]);
    expect(changes.noLongerStale).toEqual([]);
    expect(changes.notComparable).toBe(2);
  });

  it('matches keys without ids (credential report) by slot and creation: a rotated key is a new one', () => {
    const before = buildReport([staleUser('ann', created(accessKey(1, 200), '2025-01-01T00:00:00Z'))]);
    const same = buildReport([staleUser('ann', created(accessKey(1, 207), '2025-01-01T00:00:00Z'))]);
    const rotated = buildReport([staleUser('ann', created(accessKey(1, 95), '2026-08-01T00:00:00Z'))]);

    expect(changesSince(before, same, undefined)).toMatchObject({ newlyStale: [], noLongerStale: [] });
    const changes = changesSince(before, rotated, undefined);
    expect(changes.newlyStale.map((c) => c.reason)).toEqual(['new-credential']);
    expect(changes.noLongerStale.map((c) => c.reason)).toEqual(['credential-removed']);
  });

  it('treats users of the same name in two accounts as two users (organisation reports)', () => {
    const inAccount = (accountId: string, user: ReturnType<typeof staleUser>) => ({ ...user, accountId });
    const before = { ...buildReport([]), users: [inAccount('111111111111', staleUser('ann'))] };
    const now = { ...buildReport([]), users: [inAccount('222222222222', staleUser('ann'))] };

    const changes = changesSince(before, now, undefined);

    expect(changes.newlyStale.map((c) => [c.accountId, c.reason])).toEqual([['222222222222', 'new-user']]);
    expect(changes.noLongerStale.map((c) => [c.accountId, c.reason])).toEqual([
      ['111111111111', 'user-deleted'],
    ]);
  });

  it('takes what was disabled from the remediation summary: removed and deactivated, not exempt', () => {
    const { disabled } = changesSince(null, buildReport([]), summary());

    expect(disabled).toEqual({
      mode: 'enforce',
      blocked: null,
      count: 2,
      failed: 0,
      items: [
        {
          userName: 'ann',
          credential: { type: 'password', accessKeyId: null, slot: null },
          outcome: 'deleted',
        },
        {
          userName: 'bob',
          credential: { type: 'access-key', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', slot: 1 },
          outcome: 'deactivated',
        },
      ],
      omitted: 0,
    });
  });

  it('counts what a dry run would disable, including what the summary does not itemise, and why a plan was refused', () => {
    const dryRun = summary({
      mode: 'dry-run',
      counts: { 'would-delete': 150, failed: 2 },
      items: [
        {
          userName: 'ann',
          credential: { type: 'password', accessKeyId: null, slot: null },
          outcome: 'would-delete',
          reason: null,
        },
      ],
      itemsOmitted: 151,
    });
    expect(changesSince(null, buildReport([]), dryRun).disabled).toMatchObject({
      mode: 'dry-run',
      count: 150,
      failed: 2,
      omitted: 149,
    });

    const blocked = summary({
      blocked: { code: 'cap-actions', planned: 12, maxActions: 10 },
      counts: { 'skipped-cap': 12 },
    });
    expect(changesSince(null, buildReport([]), blocked).disabled).toMatchObject({
      blocked: { code: 'cap-actions', planned: 12, maxActions: 10 },
      count: 0,
    });
  });
});
