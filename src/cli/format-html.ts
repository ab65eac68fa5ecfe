import type { ScanReport } from '../domain/report/scan-report';
import { changesSince } from '../domain/visual-report/changes';
import { staleCredentialsOf, trendPointOf } from '../domain/visual-report/history';

/**
 * `stale-iam scan --format html`: the same self-contained page the render function writes to S3,
 * for this one scan. The CLI keeps no history, so the trend has a single point and there is no
 * earlier run to compare with.
 */
export async function formatReportHtml(report: ScanReport): Promise<string> {
  // Loaded when asked for: the other formats never evaluate vega (the bundle defers the module).
  const { buildVisualReport } = await import('../domain/visual-report/page');
  return buildVisualReport({
    report,
    trend: [trendPointOf({ ...report, staleCredentials: staleCredentialsOf(report) })],
    changes: changesSince(null, report, undefined),
    previousProblem: null,
    ignoredHistory: [],
    location: null,
  });
}
