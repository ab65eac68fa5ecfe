import type { BundleMeasurement } from './bundle-load-time';
import { markdownTable } from './markdown-table';
import type { MicroCase } from './micro-cases';
import { totalRequests as requests, type ScanCaseOutcome } from './run-scan-case';
import type { ScanSource } from './scan-case';
import { count, kib, mib, seconds } from './units';

const SOURCE_LABELS: Record<ScanSource, string> = {
  api: 'api',
  'credential-report': 'credential-report',
  original: 'original (re-impl.)',
};

/** Actions in the order a scan makes them; anything else after, alphabetically. */
const ACTION_ORDER = [
  'ListUsers',
  'GetUser',
  'GetLoginProfile',
  'ListAccessKeys',
  'GetAccessKeyLastUsed',
  'GenerateCredentialReport',
  'GetCredentialReport',
];

export function callsByAction(calls: ReadonlyMap<string, number>): string {
  const rank = (action: string) => {
    const index = ACTION_ORDER.indexOf(action);
    return index === -1 ? ACTION_ORDER.length : index;
  };
  return [...calls]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([action, n]) => `${action}=${n}`)
    .join(' ');
}

export function performanceTable(scans: readonly ScanCaseOutcome[]): string {
  return markdownTable(
    [
      'source',
      'users',
      'wall time',
      'peak RSS',
      'IAM requests',
      'Throttling answers',
      'unreadable users',
      'unhandled Throttling',
    ],
    scans.map((s) => [
      SOURCE_LABELS[s.source],
      count(s.users),
      seconds(s.wallMs),
      mib(s.maxRssKib),
      count(requests(s)),
      count(s.throttlingAnswers),
      count(s.unreadable),
      count(s.unhandledThrottling),
    ]),
    [1, 2, 3, 4, 5, 6, 7],
  );
}

export function callsTable(scans: readonly ScanCaseOutcome[]): string {
  return markdownTable(
    ['source', 'users', 'IAM calls answered, by action (Throttling answers not included)'],
    scans.map((s) => [SOURCE_LABELS[s.source], count(s.users), callsByAction(s.callsByAction)]),
    [1],
  );
}

export function verdictTable(scans: readonly ScanCaseOutcome[]): string {
  return markdownTable(
    [
      'source',
      'users',
      'compared on',
      'stale found / truly stale',
      'false positives',
      'missed',
      'unread',
      'same status as truth',
    ],
    scans.map((s) => {
      const a = s.agreement;
      return [
        SOURCE_LABELS[s.source],
        count(s.users),
        s.scope === 'all' ? 'all credentials' : 'passwords',
        `${count(a.staleFound)} / ${count(a.trulyStale)}`,
        count(a.falsePositives),
        count(a.missed),
        count(a.unread),
        `${count(a.agreeing)} / ${count(a.users)}`,
      ];
    }),
    [1, 3, 4, 5, 6, 7],
  );
}

/** Scans that returned no verdicts at all, with why; empty when every scan finished. */
export function failureNotes(scans: readonly ScanCaseOutcome[]): string[] {
  return scans
    .filter((s) => s.failure !== null)
    .map((s) => `${SOURCE_LABELS[s.source]}, ${count(s.users)} users: the scan failed: ${s.failure}`);
}

export function bundleTable(bundles: readonly BundleMeasurement[]): string {
  return markdownTable(
    ['function', 'zip', 'unzipped', 'require() median', 'samples (ms)'],
    bundles.map((b) => [
      b.name,
      kib(b.zipBytes),
      kib(b.unzippedBytes),
      `${b.medianLoadMs.toFixed(0)} ms`,
      b.samplesMs.map((ms) => ms.toFixed(0)).join(' '),
    ]),
    [1, 2, 3],
  );
}

export function microTable(cases: readonly MicroCase[]): string {
  return markdownTable(
    ['in-process case', 'users', 'time', 'heap growth'],
    cases.map((c) => [c.name, count(c.users), `${c.ms.toFixed(0)} ms`, `${c.heapDeltaMb.toFixed(1)} MB`]),
    [1, 2, 3],
  );
}
