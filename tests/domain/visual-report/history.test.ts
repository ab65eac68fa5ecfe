import {
  TREND_RUNS,
  historyEntryOf,
  trendOf,
  trendPointOf,
  type HistoryEntry,
} from '../../../src/domain/visual-report/history';
import { historyKeyOf, historyPrefixOf, visualReportKeyOf } from '../../../src/domain/visual-report/keys';
import type { RemediationSummary } from '../../../src/domain/remediation/summary';
import {
  LOCATION,
  accessKey,
  activeUser,
  buildReport,
  password,
  staleUser,
} from '../../support/report-builder';

const DAY_MS = 86_400_000;

function entryAt(iso: string, stale: number): HistoryEntry {
  const report = buildReport(
    Array.from({ length: stale }, (_, i) => staleUser(`user-${i}`)),
    {
      evaluatedAt: new Date(iso),
    },
  );
  return historyEntryOf(report, LOCATION.key, undefined);
}

describe('historyEntryOf', () => {
  it('keeps the counts of the run and where its report is, not the users', () => {
    const report = buildReport([
      staleUser('ann', password(120), accessKey(1, 200)),
      activeUser('bob', password(3), accessKey(2, 100)),
      activeUser('cyd'),
    ]);

    const entry = historyEntryOf(report, LOCATION.key, undefined);

    expect(entry).toEqual({
      schemaVersion: 1,
      reportKey: LOCATION.key,
      evaluatedAt: report.evaluatedAt,
      accountId: '123456789012',
      thresholdDays: 90,
      credentialScope: 'all',
      partial: false,
      summary: report.summary,
      staleCredentials: 3,
      remediation: null,
    });
    expect(JSON.stringify(entry).length).toBeLessThan(600);
  });

  it('records what the disable step took away: done when enforcing, planned in a dry run', () => {
    const summary = (mode: RemediationSummary['mode']): RemediationSummary => ({
      mode,
      deactivateAccessKeys: true,
      auditKey: 'audit/x.jsonl',
      blocked: null,
      belowFloor: null,
      counts: { deleted: 2, deactivated: 1, 'would-delete': 5, failed: 1, exempt: 4 },
      items: [],
      itemsOmitted: 13,
    });
    const report = buildReport([staleUser('ann')]);

    expect(historyEntryOf(report, LOCATION.key, summary('enforce')).remediation).toEqual({
      mode: 'enforce',
      disabled: 3,
      failed: 1,
      blocked: false,
    });
    expect(historyEntryOf(report, LOCATION.key, summary('dry-run')).remediation).toMatchObject({
      mode: 'dry-run',
      disabled: 5,
    });
  });
});

describe('trendOf', () => {
  it('puts the earlier runs and this one oldest first, dropping later runs and second copies', () => {
    const current = trendPointOf(entryAt('2026-11-28T00:00:00Z', 3));
    const earlier = [
      entryAt('2026-11-21T00:00:00Z', 5),
      entryAt('2026-11-14T00:00:00Z', 4),
      entryAt('2026-11-21T00:00:00Z', 5),
      entryAt('2026-12-05T00:00:00Z', 9),
      entryAt('2026-11-28T00:00:00Z', 7),
    ];

    const trend = trendOf(earlier, current);

    expect(trend.map((p) => [p.evaluatedAt.toISOString().slice(0, 10), p.stale])).toEqual([
      ['2026-11-14', 4],
      ['2026-11-21', 5],
      ['2026-11-28', 3],
    ]);
  });

  it(`keeps the latest ${TREND_RUNS} runs`, () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const earlier = Array.from({ length: 40 }, (_, i) =>
      entryAt(new Date(start + i * DAY_MS).toISOString(), i % 5),
    );
    const current = trendPointOf(entryAt(new Date(start + 40 * DAY_MS).toISOString(), 1));

    const trend = trendOf(earlier, current);

    expect(trend).toHaveLength(TREND_RUNS);
    expect(trend[0]?.evaluatedAt.getTime()).toBe(start + 11 * DAY_MS);
    expect(trend.at(-1)).toEqual(current);
  });
});

describe('history and page keys', () => {
  const report = (stamp: string) =>
    `reports/123456789012/${stamp.slice(0, 4)}/${stamp.slice(5, 7)}/${stamp.slice(8, 10)}/scan-${stamp}.json`;

  it('puts the page beside the report', () => {
    expect(visualReportKeyOf(LOCATION.key)).toBe(
      'reports/123456789012/2026/11/28/scan-2026-11-28T000000Z.html',
    );
  });

  it('orders history keys newest first, so that the runs before one are listed after its own key', () => {
    const keys = ['2026-11-28T000000Z', '2026-11-28T000001Z', '2025-02-01T235959Z', '2031-06-30T120000Z'].map(
      (stamp) => historyKeyOf(report(stamp)),
    );

    expect(keys[0]).toBe('history/123456789012/8204175999-2026-11-28T000000Z.json');
    expect([...keys].sort()).toEqual([keys[3], keys[1], keys[0], keys[2]]);
    expect(historyPrefixOf(report('2026-11-28T000000Z'))).toBe('history/123456789012/');
  });

  it('keeps reports of an unknown account apart from any account', () => {
    expect(historyKeyOf('reports/unknown-account/2026/11/28/scan-2026-11-28T000000Z.json')).toMatch(
      /^history\/unknown-account\/\d{10}-2026-11-28T000000Z\.json$/,
    );
  });

  it('refuses a key the scan does not write, and a stamp that names no instant', () => {
    expect(() => historyKeyOf('reports/../../etc/scan-2026-11-28T000000Z.json')).toThrow(
      'is not a report key the scan writes',
    );
    expect(() => historyKeyOf(report('2026-02-30T000000Z'))).toThrow('has no valid time stamp');
    expect(() => visualReportKeyOf('history/123456789012/x.json')).toThrow('is not a report key');
  });
});
