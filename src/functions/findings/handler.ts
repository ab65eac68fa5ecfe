import { S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createSecurityHubClient } from '../../adapters/securityhub/client';
import { SecurityHubFindingsStore } from '../../adapters/securityhub/findings-store';
import { S3ReportStore } from '../../adapters/s3/report-store';
import { parseReportLocation, inOwnBucket } from '../../contracts/report-location';
import type { ScanResult } from '../../contracts/scan-result';
import { syncFindings, type FindingsOutcome } from '../../domain/findings/sync';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { callerOf, readFindingsConfig } from './config';

/** The step's input passed on, plus what happened in Security Hub (notify mentions it). */
export type FindingsResult = ScanResult & { findings: FindingsOutcome };

export interface FindingsDependencies {
  readonly securityHub: SecurityHubClient;
  readonly s3: S3Client;
  readonly clock: () => Date;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The optional step after Scan (deploy parameter securityHub=true): one Security Hub finding per
 * stale credential in the account the function runs in, and the findings of credentials no longer
 * stale resolved. An error here (no Security Hub in the account, AccessDenied) is caught by the
 * state machine and recorded for notify: the email still goes out and says so.
 */
export function createFindingsHandler(deps: FindingsDependencies) {
  return middy<ScanResult, FindingsResult, Error, Context>()
    .use(lambdaLogging('findings'))
    .handler(async (event, context) => {
      const config = readFindingsConfig(deps.env);
      const location = parseReportLocation(event, 'findings');
      inOwnBucket(location, config.reportBucket, 'findings');
      const report = await new S3ReportStore({ bucket: config.reportBucket, client: deps.s3 }).load(location);
      const identity = {
        ...callerOf(context.invokedFunctionArn),
        region: await deps.securityHub.config.region(),
      };
      const outcome = await syncFindings(report, {
        store: new SecurityHubFindingsStore({ client: deps.securityHub, identity }),
        identity,
        now: deps.clock(),
        location,
      });
      if (outcome.status === 'skipped') {
        logger.warn('nothing imported into Security Hub: the scan is partial', { ...outcome });
      } else if (outcome.failed > 0 || outcome.unreadable > 0) {
        logger.warn('findings imported into Security Hub, some refused or unreadable', { ...outcome });
      } else {
        logger.info('findings imported into Security Hub', { ...outcome });
      }
      return { ...event, findings: outcome };
    });
}

export const handler = createFindingsHandler({
  securityHub: createSecurityHubClient(),
  s3: new S3Client({}),
  clock: () => new Date(),
  env: process.env,
});
