import type { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createIamClient } from '../../adapters/iam/client';
import { IamExemptionDirectory } from '../../adapters/iam/exemption-directory';
import { S3ReportStore } from '../../adapters/s3/report-store';
import { scanAccount } from '../../domain/scan/scan-account';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { settingFrom, ssmSettings } from '../../lib/ssm-settings';
import { runDeadline } from '../../lib/time-budget';
import { userSourceFor } from '../shared/user-source';
import { readScanConfig } from './config';
import { scanResultOf, type ScanResult } from '../../contracts/scan-result';

/**
 * The account to scan is whatever these clients reach: an organisation-wide run can build the
 * same handler logic with clients for an assumed role in each member account.
 */
export interface ScanDependencies {
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly clock: () => Date;
  readonly env: NodeJS.ProcessEnv;
}

export function createScanHandler(deps: ScanDependencies) {
  return middy<unknown, ScanResult, Error, Context>()
    .use(lambdaLogging('scan'))
    .use(ssmSettings({ thresholdDays: deps.env.THRESHOLD_DAYS_PARAMETER }, { cacheKey: 'stale-iam-scan' }))
    .handler(async (_event, context) => {
      const config = readScanConfig(settingFrom(context, 'thresholdDays'), deps.env);
      const source = userSourceFor(deps.iam, config);
      const deadline = runDeadline(() => context.getRemainingTimeInMillis());
      const report = await scanAccount(source, {
        thresholdDays: config.thresholdDays,
        scope: config.scope,
        now: deps.clock(),
        clock: deps.clock,
        shouldStop: deadline.shouldStop,
        abortSignal: deadline.abortSignal,
        onWarning: (warning) => logger.warn('the users read need a look', { warning }),
        exemptions: { rules: config.exemptions, directory: new IamExemptionDirectory(deps.iam) },
      }).finally(deadline.dispose);
      const location = await new S3ReportStore({ bucket: config.reportBucket, client: deps.s3 }).save(report);
      logger.info('scan finished', {
        ...report.summary,
        partial: report.partial,
        deletedDuringScan: report.deletedDuringScan.length,
        accountId: report.accountId,
        source: report.source,
        location,
      });
      return scanResultOf(report, location);
    });
}

// Clients are created once per cold start and reused by warm invocations.
export const handler = createScanHandler({
  iam: createIamClient(),
  s3: new S3Client({}),
  clock: () => new Date(),
  env: process.env,
});
