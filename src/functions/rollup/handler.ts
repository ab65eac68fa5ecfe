import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { S3Objects } from '../../adapters/s3/objects';
import { S3ReportStore } from '../../adapters/s3/report-store';
import { S3TextUpload } from '../../adapters/s3/text-upload';
import { parseAccountList, parseRollUpEvent, parseSkippedList } from '../../contracts/discovery';
import { ACCOUNT_SCANS } from '../../contracts/map-results';
import { rollUpResultOf, type RollUpResult } from '../../contracts/organization-report';
import { OrganizationReportWriter } from '../../domain/organization/organization-report';
import { rollUpOrganization, type ScannedOutcome } from '../../domain/organization/roll-up';
import { accountReportsPrefix, organizationReportKeys } from '../../domain/report/object-keys';
import { InvalidInputError } from '../../lib/errors';
import { inOwnBucket } from '../../contracts/report-location';
import { lambdaLogging } from '../../lib/lambda-logging';
import { logger } from '../../lib/logger';
import { readMapOutcomes } from '../shared/map-outcomes';
import { readRollUpConfig } from './config';

export interface RollUpDependencies {
  readonly s3: S3Client;
  readonly clock: () => Date;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * After the map: reads what it returned for each account (the ResultWriter's manifest and result
 * files), then each scanned account's own report, and streams the organisation report (JSON and
 * CSV, multipart uploads) one account at a time; writes its summary beside it for the email.
 */
export function createRollUpHandler(deps: RollUpDependencies) {
  return middy<unknown, RollUpResult>()
    .use(lambdaLogging('rollup'))
    .handler(async (event) => {
      const config = readRollUpConfig(deps.env);
      const input = parseRollUpEvent(event);
      for (const bucket of input.buckets) inOwnBucket({ bucket }, config.reportBucket, 'rollup');
      const objects = new S3Objects(config.reportBucket, deps.s3);
      const selected = parseAccountList(
        await objects.readJson(input.accountsKey),
        objects.where(input.accountsKey),
      );
      const skipped = parseSkippedList(
        await objects.readJson(input.skippedKey),
        objects.where(input.skippedKey),
      );
      const outcomes = await readMapOutcomes(objects, input.manifestKey, ACCOUNT_SCANS);

      const keys = organizationReportKeys(input.run.evaluatedAt);
      const upload = (key: string, contentType: string) =>
        new S3TextUpload({ client: deps.s3, bucket: config.reportBucket, key, contentType });
      const json = upload(keys.key, 'application/json');
      const csv = upload(keys.csvKey, 'text/csv; charset=utf-8');
      const head = {
        generatedAt: deps.clock(),
        evaluatedAt: input.run.evaluatedAt,
        thresholdDays: input.run.thresholdDays,
        credentialScope: 'all' as const,
        source: config.source,
      };
      const reports = new S3ReportStore({ bucket: config.reportBucket, client: deps.s3 });
      const readReport = async (outcome: ScannedOutcome) => {
        const { report: location, account } = outcome;
        if (
          location.bucket !== config.reportBucket ||
          !location.key.startsWith(accountReportsPrefix(account.accountId))
        ) {
          throw new InvalidInputError(
            `the map names s3://${location.bucket}/${location.key} as the report of ${account.accountId}, which is not in its folder of ${config.reportBucket}`,
          );
        }
        return reports.load(location);
      };
      let summary;
      try {
        summary = await rollUpOrganization(
          { head, selected, skipped, outcomes },
          { readReport, writer: new OrganizationReportWriter(head, { json, csv }) },
        );
        await Promise.all([json.finish(), csv.finish()]);
      } catch (error) {
        await Promise.all([json.abort(), csv.abort()]);
        throw error;
      }
      await objects.writeJson(keys.summaryKey, summary);
      const result = rollUpResultOf(summary, { bucket: config.reportBucket, ...keys }, input.run);
      logger.info('organization report written', { ...result.accounts, ...result.summary, key: keys.key });
      return result;
    });
}

export const handler = createRollUpHandler({
  s3: new S3Client({}),
  clock: () => new Date(),
  env: process.env,
});
