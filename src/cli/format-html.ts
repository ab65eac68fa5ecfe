import { changesSince } from '../domain/visual-report/changes';
import { staleCredentialsOf, trendPointOf } from '../domain/visual-report/history';
import type { ReportView } from '../domain/visual-report/report-view';

/**
 * `stale-iam scan --format html`: the same self-contained page the render function writes to S3,
 * for this one scan: one account's report, or an organisation's (`--organization`), whose page adds
 * the accounts and an account column and filter. The CLI keeps no history, so the trend has a single point and there is no
 * earlier run to compare with.
 */
export async function formatReportHtml(report: ReportView): Promise<string> {
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
