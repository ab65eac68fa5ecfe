import type { TopLevelSpec } from 'vega-lite';
import type { TrendPoint } from './history';
import type { ReportView } from './report-view';

/**
 * The two charts, as vega-lite specs (rendered to SVG by svg.ts). Bars are coloured by the
 * user's verdict, never by their position on the axis: a bar that straddles the threshold shows
 * both colours, as the verdicts do.
 */

const WIDTH = 480;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const BASE = {
  background: 'white',
  config: {
    font: FONT,
    view: { stroke: null },
    axis: { labelFontSize: 12, titleFontSize: 12 },
    legend: { labelFontSize: 12 },
  },
} as const;

export const CHART_GROUPS = ['stale', 'active', 'exempt'] as const;
const GROUP_COLORS = ['#d62728', '#4c78a8', '#9e9e9e'];

/** Bin widths a person reads easily, smallest first. */
const STEPS = [1, 2, 5, 7, 10, 15, 30, 45, 60, 90, 120, 180, 365];
const MAX_BINS = 40;

/** The smallest readable bin width that keeps 0..maxDays within MAX_BINS bars. */
export function binStep(maxDays: number): number {
  return (
    STEPS.find((step) => Math.ceil((maxDays + 1) / step) <= MAX_BINS) ?? Math.ceil((maxDays + 1) / MAX_BINS)
  );
}

/** Idle days per user (users with a credential that counts), stacked by verdict, the threshold marked. */
export function idleDaysHistogram(
  report: ReportView,
  labels: { axisX: string; axisY: string; threshold: string },
): TopLevelSpec {
  const values = report.users
    .filter((u) => u.idleDays !== null && (CHART_GROUPS as readonly string[]).includes(u.status))
    .map((u) => ({ idleDays: u.idleDays, group: u.status }));
  const maxDays = Math.max(report.thresholdDays, ...values.map((v) => v.idleDays ?? 0));
  const step = binStep(maxDays);
  const extent: [number, number] = [0, Math.ceil((maxDays + 1) / step) * step];
  const threshold = report.thresholdDays;
  return {
    ...BASE,
    width: WIDTH,
    height: 220,
    layer: [
      {
        data: { values },
        mark: { type: 'bar', binSpacing: 1 },
        encoding: {
          x: { field: 'idleDays', type: 'quantitative', bin: { step, extent }, title: labels.axisX },
          y: { aggregate: 'count', type: 'quantitative', title: labels.axisY },
          color: {
            field: 'group',
            type: 'nominal',
            scale: { domain: [...CHART_GROUPS], range: GROUP_COLORS },
            legend: { orient: 'top', title: null },
          },
          order: { field: 'group', sort: 'descending' },
        },
      },
      {
        data: { values: [{}] },
        mark: { type: 'rule', color: 'black', strokeDash: [4, 3], strokeWidth: 2 },
        encoding: { x: { datum: threshold, type: 'quantitative' } },
      },
      {
        data: { values: [{}] },
        mark: { type: 'text', align: 'left', dx: 4, dy: 2, baseline: 'top', fontWeight: 'bold' },
        encoding: {
          x: { datum: threshold, type: 'quantitative' },
          y: { value: 0 },
          text: { value: labels.threshold },
        },
      },
    ],
  };
}

/** Stale users per run, oldest first; each point labelled with its count. */
export function staleTrend(
  points: readonly TrendPoint[],
  labels: { axisY: string; partial: string },
): TopLevelSpec {
  const sameDay = new Set<string>();
  const days = points.map((p) => p.evaluatedAt.toISOString().slice(0, 10));
  const repeated = new Set(days.filter((d) => (sameDay.has(d) ? true : (sameDay.add(d), false))));
  const values = points.map((p, i) => {
    const day = days[i] ?? '';
    const run = repeated.has(day) ? `${day} ${p.evaluatedAt.toISOString().slice(11, 16)}` : day;
    return { run, stale: p.stale, label: p.partial ? `${p.stale} ${labels.partial}` : String(p.stale) };
  });
  return {
    ...BASE,
    width: WIDTH,
    height: 220,
    data: { values },
    encoding: {
      x: {
        field: 'run',
        type: 'ordinal',
        sort: null,
        title: null,
        axis: { labelAngle: -35, labelOverlap: true },
      },
      y: { field: 'stale', type: 'quantitative', title: labels.axisY, scale: { zero: true } },
    },
    layer: [
      { mark: { type: 'line', point: { size: 50 }, color: '#d62728' } },
      { mark: { type: 'text', dy: -10, fontSize: 11 }, encoding: { text: { field: 'label' } } },
    ],
  };
}
