import type { ScanReport } from '../domain/report/scan-report';
import { changesSince } from '../domain/visual-report/changes';
import { staleCredentialsOf, trendPointOf } from '../domain/visual-report/history';
import { buildVisualReport } from '../domain/visual-report/page';

/**
 * `stale-iam scan --format html`: the same self-contained page the render function writes to S3,
 * for this one scan. The CLI keeps no history, so the trend has a single point and there is no
 * earlier run to compare with.
 */
export function formatReportHtml(report: ScanReport): Promise<string> {
  return buildVisualReport({
    report,
    trend: [trendPointOf({ ...report, staleCredentials: staleCredentialsOf(report) })],
    changes: changesSince(null, report, undefined),
    previousProblem: null,
    ignoredHistory: [],
    location: null,
  });
}
