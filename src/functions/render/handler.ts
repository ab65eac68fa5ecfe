import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { S3HistoryStore } from '../../adapters/s3/history-store';
import { S3VisualReportStore } from '../../adapters/s3/visual-report-store';
import { parseRenderEvent, type RenderEvent, type VisualReportLocation } from '../../contracts/render-event';
import { changesSince } from '../../domain/visual-report/changes';
import { historyEntryOf, trendOf, trendPointOf, type HistoryEntry } from '../../domain/visual-report/history';
import { visualReportKeyOf } from '../../domain/visual-report/keys';
import { buildVisualReport } from '../../domain/visual-report/page';
import type { ReportView } from '../../domain/visual-report/report-view';
import { InvalidInputError } from '../../lib/errors';
import { inOwnBucket } from '../../contracts/report-location';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { readRenderConfig } from './config';

export interface RenderDependencies {
  readonly s3: S3Client;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The visual report of one run: reads the run's report and the history of the runs before it,
 * appends this run's entry to the history, and writes the self-contained HTML page beside the
 * report. Returns where the page is, for the email's link.
 */
export function createRenderHandler(deps: RenderDependencies) {
  return middy<RenderEvent, VisualReportLocation>()
    .use(lambdaLogging('render'))
    .handler(async (event) => {
      const config = readRenderConfig(deps.env);
      const { report: location, remediation } = parseRenderEvent(event);
      inOwnBucket(location, config.reportBucket, 'render');
      const store = new S3VisualReportStore({ bucket: config.reportBucket, client: deps.s3 });
      const history = new S3HistoryStore({ bucket: config.reportBucket, client: deps.s3 });

      const report = await store.loadReport(location.key);
      const earlier = await history.earlierRuns(location.key);
      if (earlier.rejected.length > 0) {
        logger.warn('history entries refused', { rejected: earlier.rejected });
      }
      const previous = await previousReport(store, earlier.entries[0]);
      const entry = historyEntryOf(report, location.key, remediation);
      await history.append(entry);

      const html = await buildVisualReport({
        report,
        trend: trendOf(earlier.entries, trendPointOf(entry)),
        changes: changesSince(previous.report, report, remediation),
        previousProblem: previous.problem,
        ignoredHistory: earlier.rejected,
        location,
      });
      const key = visualReportKeyOf(location.key);
      await store.saveHtml(key, html);
      logger.info('visual report written', {
        key,
        bytes: Buffer.byteLength(html),
        earlierRuns: earlier.entries.length,
        refusedHistoryEntries: earlier.rejected.length,
      });
      return { bucket: config.reportBucket, key };
    });
}

/**
 * The report of the run before, to compare with. One that has expired, or that is not a valid
 * report, leaves the page without a comparison and says why; an S3 failure fails the step.
 */
async function previousReport(
  store: S3VisualReportStore,
  entry: HistoryEntry | undefined,
): Promise<{ report: ReportView | null; problem: string | null }> {
  if (!entry) return { report: null, problem: null };
  try {
    return { report: await store.loadReport(entry.reportKey), problem: null };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    logger.warn('previous report not compared', { reportKey: entry.reportKey, error: error.message });
    return { report: null, problem: error.message };
  }
}

// The client is created once per cold start and reused by warm invocations.
export const handler = createRenderHandler({ s3: new S3Client({}), env: process.env });
