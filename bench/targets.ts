import type { BundleMeasurement } from './bundle-load-time';
import { totalRequests as requests, type ScanCaseOutcome } from './run-scan-case';
import { count, kib, mib, seconds } from './units';

/** One target of issue 5, measured: met (PASS), missed (over), or not measured in this run. */
export interface TargetCheck {
  readonly met: boolean | null;
  readonly target: string;
  readonly measured: string;
}

const LARGE_ACCOUNT = 5_000;
const API_WALL_LIMIT_MS = 60_000;
const RSS_LIMIT_MIB = 256;
const ZIP_LIMIT_BYTES = 1024 * 1024;
const LOAD_LIMIT_MS = 300;
const REPORT_CALL_LIMIT = 5;

export function checkTargets(
  scans: readonly ScanCaseOutcome[],
  bundles: readonly BundleMeasurement[],
): TargetCheck[] {
  const api = scans.filter((s) => s.source === 'api');
  const report = scans.filter((s) => s.source === 'credential-report');
  const large = (rows: readonly ScanCaseOutcome[]) => rows.find((s) => s.users === LARGE_ACCOUNT);
  const apiLarge = large(api);
  const productLarge = [apiLarge, large(report)].filter((s): s is ScanCaseOutcome => s !== undefined);
  const perSize = (rows: readonly ScanCaseOutcome[], show: (s: ScanCaseOutcome) => string) =>
    rows.map((s) => `${show(s)} (${count(s.users)})`).join(', ');
  /** null (n/a) when nothing of that kind was measured in this run. */
  const whenMeasured = (rows: readonly unknown[], condition: boolean) =>
    rows.length === 0 ? null : condition;

  return [
    {
      target: `credential-report source: at most ${REPORT_CALL_LIMIT} IAM requests for the account`,
      met: whenMeasured(
        report,
        report.every((s) => requests(s) <= REPORT_CALL_LIMIT && s.failure === null),
      ),
      measured: perSize(report, (s) => `${requests(s)} requests`),
    },
    {
      target: 'api source: ListUsers calls = ceil(users / 1000)',
      met: whenMeasured(
        api,
        api.every((s) => listUsersCalls(s) === Math.ceil(s.users / 1000)),
      ),
      measured: perSize(api, (s) => `${listUsersCalls(s)}/${Math.ceil(s.users / 1000)}`),
    },
    {
      target: `api source: ${count(LARGE_ACCOUNT)} users in under ${API_WALL_LIMIT_MS / 1000} s`,
      met: apiLarge ? apiLarge.failure === null && apiLarge.wallMs < API_WALL_LIMIT_MS : null,
      measured: apiLarge ? seconds(apiLarge.wallMs) : 'not run',
    },
    {
      target: 'api source: no unhandled Throttling',
      met: whenMeasured(
        api,
        api.every((s) => s.unhandledThrottling === 0),
      ),
      measured: perSize(
        api,
        (s) =>
          `${count(s.unhandledThrottling)} unhandled of ${count(s.throttlingAnswers)} Throttling answers`,
      ),
    },
    {
      target: `peak RSS under ${RSS_LIMIT_MIB} MiB for ${count(LARGE_ACCOUNT)} users`,
      met: productLarge.length === 0 ? null : productLarge.every((s) => s.maxRssKib / 1024 < RSS_LIMIT_MIB),
      measured:
        productLarge.length === 0
          ? 'not run'
          : productLarge.map((s) => `${s.source} ${mib(s.maxRssKib)}`).join(', '),
    },
    {
      target: 'each function zip under 1 MB (1,048,576 bytes)',
      met: whenMeasured(
        bundles,
        bundles.every((b) => b.zipBytes < ZIP_LIMIT_BYTES),
      ),
      measured: bundles.map((b) => `${b.name} ${kib(b.zipBytes)}`).join(', '),
    },
    {
      target: `each function loads (require) in under ${LOAD_LIMIT_MS} ms`,
      met: whenMeasured(
        bundles,
        bundles.every((b) => b.medianLoadMs < LOAD_LIMIT_MS),
      ),
      measured: bundles.map((b) => `${b.name} ${b.medianLoadMs.toFixed(0)} ms`).join(', '),
    },
  ];
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  const marker = (met: boolean | null) => (met === null ? 'n/a ' : met ? 'PASS' : 'over');
  return checks.map((c) => `${marker(c.met)}  ${c.target}: ${c.measured || 'not run'}`).join('\n');
}

function listUsersCalls(s: ScanCaseOutcome): number {
  return s.callsByAction.get('ListUsers') ?? 0;
}
