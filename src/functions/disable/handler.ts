import { S3Client } from '@aws-sdk/client-s3';
import type { IAMClient } from '@aws-sdk/client-iam';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createIamClient } from '../../adapters/iam/client';
import { IamLiveAccess } from '../../adapters/iam/live-access';
import { S3AuditLog } from '../../adapters/s3/audit-log';
import { S3ReportStore } from '../../adapters/s3/report-store';
import { executeRemediation } from '../../domain/remediation/execute';
import { planRemediation } from '../../domain/remediation/plan';
import { summarizeRecords, type RemediationSummary } from '../../domain/remediation/summary';
import { InvalidInputError } from '../../lib/errors';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { settingFrom, ssmSettings } from '../../lib/ssm-settings';
import type { ScanResult } from '../../contracts/scan-result';
import { parseReportLocation } from '../../contracts/report-location';
import { auditKey } from '../../domain/report/object-keys';
import { readDisableConfig } from './config';

export type DisableResult = ScanResult & { remediation: RemediationSummary };

export interface DisableDependencies {
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly clock: () => Date;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The opt-in step between scan and notify. Dry-run unless the SSM mode says `enforce`; the plan is
 * refused whole when the scan saw errors or a cap is exceeded; every credential is re-read just
 * before acting; every outcome, done or not, goes to the audit trail in S3.
 */
export function createDisableHandler(deps: DisableDependencies) {
  return middy<ScanResult, DisableResult, Error, Context>()
    .use(lambdaLogging('disable'))
    .use(
      ssmSettings(
        {
          mode: deps.env.REMEDIATION_MODE_PARAMETER,
          deactivateAccessKeys: deps.env.DEACTIVATE_ACCESS_KEYS_PARAMETER,
        },
        { cacheKey: 'stale-iam-disable' },
      ),
    )
    .handler(async (event, context) => {
      const config = readDisableConfig(
        {
          mode: settingFrom(context, 'mode'),
          deactivateAccessKeys: settingFrom(context, 'deactivateAccessKeys'),
        },
        deps.env,
      );
      const location = parseReportLocation(event, 'disable');
      if (location.bucket !== config.reportBucket) {
        throw new InvalidInputError(
          `disable reads reports from its own bucket ${config.reportBucket}, not ${location.bucket}`,
        );
      }
      const report = await new S3ReportStore({ bucket: config.reportBucket, client: deps.s3 }).load(location);
      const plan = planRemediation(report, config);
      const records = await executeRemediation(plan, {
        mode: config.mode,
        thresholdDays: report.thresholdDays,
        rules: config.rules,
        live: new IamLiveAccess(deps.iam),
        clock: deps.clock,
      });
      for (const r of records) {
        logger.info('remediation outcome', {
          userName: r.userName,
          action: r.action,
          outcome: r.outcome,
          reason: r.reason,
        });
      }

      const key = auditKey(report.accountId, deps.clock());
      await new S3AuditLog(config.reportBucket, deps.s3).write(key, records);
      const remediation = summarizeRecords(records, {
        mode: config.mode,
        deactivateAccessKeys: config.deactivateAccessKeys,
        auditKey: key,
        blocked: plan.blocked,
      });
      logger.info('remediation finished', {
        mode: config.mode,
        blocked: plan.blocked?.reason ?? null,
        ...remediation.counts,
      });
      return { ...event, remediation };
    });
}

export const handler = createDisableHandler({
  iam: createIamClient(),
  s3: new S3Client({}),
  clock: () => new Date(),
  env: process.env,
});
