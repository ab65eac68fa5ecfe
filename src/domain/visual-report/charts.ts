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
const STALE_COLOR = '#d62728';
const GROUP_COLORS = [STALE_COLOR, '#4c78a8', '#9e9e9e'];

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
  labels: { axisX: string; axisY: string },
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
    ],
  };
}

/** A run's label on the x axis: its day, and its time too when another run shares the day. */
function runLabels(points: readonly TrendPoint[]): string[] {
  const days = points.map((p) => p.evaluatedAt.toISOString().slice(0, 10));
  const count = new Map<string, number>();
  for (const day of days) count.set(day, (count.get(day) ?? 0) + 1);
  return points.map((p, i) => {
    const day = days[i] ?? '';
    return (count.get(day) ?? 0) > 1 ? `${day} ${p.evaluatedAt.toISOString().slice(11, 16)}` : day;
  });
}

/**
 * Stale users per run, oldest first, each point labelled with its count; a partial run (some
 * users not evaluated, so its count is a floor) is drawn as a hollow point.
 */
export function staleTrend(points: readonly TrendPoint[], labels: { axisY: string }): TopLevelSpec {
  const runs = runLabels(points);
  const values = points.map((p, i) => ({ run: runs[i] ?? '', stale: p.stale, partial: p.partial }));
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
      { mark: { type: 'line', color: STALE_COLOR } },
      {
        mark: { type: 'point', size: 60, strokeWidth: 2, opacity: 1 },
        encoding: {
          stroke: { value: STALE_COLOR },
          fill: { condition: { test: 'datum.partial', value: 'white' }, value: STALE_COLOR },
        },
      },
      {
        mark: { type: 'text', dy: -12, fontSize: 11 },
        encoding: { text: { field: 'stale', type: 'quantitative', format: ',d' } },
      },
    ],
  };
}
