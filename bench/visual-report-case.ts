import { buildVisualReport } from '../src/domain/visual-report/page';
import { generatedCsv, visualReportInputOf } from '../tools/fakes/visual-report-input';
import { markdownTable } from './markdown-table';
import { count, kib } from './units';

/** The budget for one page: 5,000 users in under 2 MB. */
const PAGE_LIMIT_BYTES = 2 * 1024 * 1024;
const LARGE_ACCOUNT = 5_000;

interface PageCase {
  readonly users: number;
  readonly bytes: number;
  /** The first page built in this process (vega's first compile included), then the median of the next three. */
  readonly firstMs: number;
  readonly nextMs: number;
}

/**
 * What the render function does per run once it has read the report and the history: the page,
 * charts included, for generated accounts of growing size (a previous run, a 12-run history and
 * a dry run as visualReportInputOf makes them). In-process, after the other cases.
 */
export async function runVisualReportCases(now: Date): Promise<PageCase[]> {
  const cases: PageCase[] = [];
  for (const users of [100, 1_000, LARGE_ACCOUNT]) {
    const input = visualReportInputOf(generatedCsv(users, now), now);
    const timings: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 4; i++) {
      const start = performance.now();
      bytes = Buffer.byteLength(await buildVisualReport(input));
      timings.push(performance.now() - start);
    }
    const [first = 0, ...rest] = timings;
    cases.push({ users, bytes, firstMs: first, nextMs: [...rest].sort((a, b) => a - b)[1] ?? 0 });
  }
  return cases;
}

export function visualReportTable(cases: readonly PageCase[]): string {
  const table = markdownTable(
    ['users', 'page size', 'first page', 'next pages (median)'],
    cases.map((c) => [
      count(c.users),
      kib(c.bytes),
      `${c.firstMs.toFixed(0)} ms`,
      `${c.nextMs.toFixed(0)} ms`,
    ]),
    [0, 1, 2, 3],
  );
  const large = cases.find((c) => c.users === LARGE_ACCOUNT);
  const target = large
    ? `${large.bytes < PAGE_LIMIT_BYTES ? 'PASS' : 'over'}  visual report for ${count(LARGE_ACCOUNT)} users under 2 MB: ${kib(large.bytes)}`
    : '';
  return `${table}\n\n${target}`;
}
