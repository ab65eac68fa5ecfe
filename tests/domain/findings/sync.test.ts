import type { AsffFinding } from '../../../src/domain/findings/asff';
import { staleCredentialFindings } from '../../../src/domain/findings/plan';
import {
  MAX_FAILURES_LISTED,
  syncFindings,
  type ActiveFindings,
  type FailedFinding,
  type FindingsStore,
} from '../../../src/domain/findings/sync';
import {
  ACCOUNT_ID,
  LOCATION,
  accessKey,
  activeUser,
  buildReport,
  errorUser,
  password,
  staleUser,
} from '../../support/report-builder';

const identity = { accountId: ACCOUNT_ID, region: 'us-east-1', partition: 'aws' };
const PRODUCT_ARN = `arn:aws:securityhub:us-east-1:${ACCOUNT_ID}:product/${ACCOUNT_ID}/default`;
const now = new Date('2026-11-28T00:10:00.000Z');

/** Security Hub in memory: holds findings by id and answers as the port says. */
class MemoryStore implements FindingsStore {
  readonly findings = new Map<string, AsffFinding>();
  readonly imports: AsffFinding[][] = [];
  refuse: (finding: AsffFinding) => FailedFinding | null = () => null;
  unreadable: ActiveFindings['unreadable'] = [];

  async listActive(): Promise<ActiveFindings> {
    return { findings: [...this.findings.values()], unreadable: this.unreadable };
  }

  async import(findings: readonly AsffFinding[]): Promise<FailedFinding[]> {
    this.imports.push([...findings]);
    const failed: FailedFinding[] = [];
    for (const finding of findings) {
      const refusal = this.refuse(finding);
      if (refusal) failed.push(refusal);
      else this.findings.set(finding.Id, finding);
    }
    return failed;
  }
}

const TWO_STALE = buildReport([
  staleUser('bob', password(120), accessKey(1, 200, { accessKeyId: 'AKIABOB0000000000001' })),
  activeUser('carol', password(2)),
]);

describe('syncing Security Hub with a report', () => {
  it('imports the findings of the stale credentials and counts them', async () => {
    const store = new MemoryStore();

    const outcome = await syncFindings(TWO_STALE, { store, identity, now, location: LOCATION });

    expect(outcome).toEqual({
      status: 'imported',
      productArn: PRODUCT_ARN,
      created: 2,
      updated: 0,
      resolved: 0,
      failed: 0,
      failures: [],
      unreadable: 0,
    });
    expect([...store.findings.keys()].sort()).toEqual([
      `stale-iam/${ACCOUNT_ID}/bob/access-key/AKIABOB0000000000001`,
      `stale-iam/${ACCOUNT_ID}/bob/password`,
    ]);
  });

  it('updates, resolves and creates in one stream of imports on the next run', async () => {
    const store = new MemoryStore();
    await syncFindings(TWO_STALE, { store, identity, now, location: LOCATION });
    const next = buildReport([staleUser('bob', password(121)), staleUser('carol', password(95))]);

    const outcome = await syncFindings(next, { store, identity, now: new Date('2026-11-29T00:10:00Z') });

    expect(outcome).toEqual(expect.objectContaining({ created: 1, updated: 1, resolved: 1, failed: 0 }));
    expect(store.imports).toHaveLength(2);
    expect(
      store.findings.get(`stale-iam/${ACCOUNT_ID}/bob/access-key/AKIABOB0000000000001`)?.RecordState,
    ).toBe('ARCHIVED');
    expect(store.findings.get(`stale-iam/${ACCOUNT_ID}/bob/password`)?.CreatedAt).toBe(now.toISOString());
  });

  it('imports and resolves nothing after a partial scan, and says so', async () => {
    const store = new MemoryStore();
    for (const f of staleCredentialFindings(TWO_STALE, { identity, now })) store.findings.set(f.Id, f);
    const partial = buildReport([errorUser('bob', 'AccessDenied: iam:ListAccessKeys'), activeUser('carol')]);

    const outcome = await syncFindings(partial, { store, identity, now });

    expect(outcome).toEqual({ status: 'skipped', reason: 'partial-scan', productArn: PRODUCT_ARN });
    expect(store.imports).toEqual([]);
    expect([...store.findings.values()].every((f) => f.RecordState === 'ACTIVE')).toBe(true);
  });

  it('counts what Security Hub refused apart from what it took, and lists the first refusals', async () => {
    const store = new MemoryStore();
    const many = buildReport(Array.from({ length: 30 }, (_, i) => staleUser(`user${i}`, password(100 + i))));
    store.refuse = (f) =>
      f.Id.includes('/user1') ? { id: f.Id, code: 'InvalidInput', message: 'Finding too large' } : null;

    const outcome = await syncFindings(many, { store, identity, now });

    // user1 and user10..user19 are refused.
    expect(outcome).toEqual(expect.objectContaining({ created: 19, updated: 0, resolved: 0, failed: 11 }));
    expect(outcome.status === 'imported' && outcome.failures).toHaveLength(Math.min(11, MAX_FAILURES_LISTED));
  });

  it('counts findings of ours it could not read, which it neither resolves nor reports as resolved', async () => {
    const store = new MemoryStore();
    store.unreadable = [{ id: `stale-iam/${ACCOUNT_ID}/zed/password`, problem: 'Title: too long' }];

    const outcome = await syncFindings(buildReport([]), { store, identity, now });

    expect(outcome).toEqual(expect.objectContaining({ resolved: 0, unreadable: 1 }));
  });
});
