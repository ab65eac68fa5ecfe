import { rollUpResultOf, type RollUpResult } from '../../src/contracts/organization-report';
import type { AccountFailure, AccountFindings } from '../../src/domain/organization/account-outcome';
import type { AccountRef } from '../../src/domain/organization/accounts';
import { OrganizationReportWriter } from '../../src/domain/organization/organization-report';
import { organizationReportKeys, reportKeys } from '../../src/domain/report/object-keys';
import type { ScanReport } from '../../src/domain/report/scan-report';
import type { MemoryS3 } from './memory-s3';
import { BUCKET, HEAD, MemorySink, RUN_NAME, locationOf } from './organization-builders';

/**
 * An organisation run as the roll-up leaves it in the bucket: each scanned account's report stored
 * as a version of its own, the organisation report and its summary, and the roll-up's result, which
 * is what the steps after it receive.
 */

export type SeededAccount =
  | { readonly account: AccountRef; readonly report: ScanReport; readonly findings?: AccountFindings }
  | { readonly account: AccountRef; readonly failure: AccountFailure };

export const RUN = { name: RUN_NAME, evaluatedAt: HEAD.evaluatedAt, thresholdDays: HEAD.thresholdDays };

export async function storeOrganizationRun(
  bucket: MemoryS3,
  accounts: readonly SeededAccount[],
): Promise<RollUpResult> {
  const json = new MemorySink();
  const writer = new OrganizationReportWriter(HEAD, { json, csv: new MemorySink() });
  await writer.begin();
  for (const seeded of accounts) {
    if ('failure' in seeded) {
      writer.addFailure(seeded.account, seeded.failure);
      continue;
    }
    const versionId = bucket.store(reportKeys(seeded.report).key, JSON.stringify(seeded.report));
    await writer.addReport(
      seeded.account,
      seeded.report,
      { ...locationOf(seeded.report), versionId },
      seeded.findings,
    );
  }
  const summary = await writer.end([]);
  const keys = organizationReportKeys(HEAD.evaluatedAt);
  bucket.store(keys.key, json.text);
  bucket.store(keys.summaryKey, JSON.stringify(summary));
  return rollUpResultOf(summary, { bucket: BUCKET, ...keys }, RUN);
}

/**
 * What a Distributed Map's ResultWriter leaves for one map run: each child's input and output as
 * one SUCCEEDED result file (every child succeeds: failures are caught inside it), and the manifest.
 * Returns the map's result, `{ MapRunArn, ResultWriterDetails }`.
 */
export function storeMapResults(
  bucket: MemoryS3,
  mapRunId: string,
  children: ReadonlyArray<{ readonly input: unknown; readonly output: unknown }>,
): { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } } {
  const folder = `runs/map-results/${mapRunId}/`;
  const records = children.map((child, i) => ({
    ExecutionArn: `arn:aws:states:us-east-1:123456789012:execution:stale-iam-test/Map:${i}`,
    Input: JSON.stringify(child.input),
    Output: JSON.stringify(child.output),
    Status: 'SUCCEEDED',
  }));
  bucket.store(`${folder}SUCCEEDED_0.json`, JSON.stringify(records));
  const manifest = `${folder}manifest.json`;
  bucket.store(
    manifest,
    JSON.stringify({
      DestinationBucket: bucket.bucket,
      MapRunArn: `arn:aws:states:us-east-1:123456789012:mapRun:stale-iam-test/Map:${mapRunId}`,
      ResultFiles: { SUCCEEDED: [{ Key: `${folder}SUCCEEDED_0.json`, Size: 1 }], FAILED: [], PENDING: [] },
    }),
  );
  return {
    MapRunArn: `arn:aws:states:us-east-1:123456789012:mapRun:stale-iam-test/Map:${mapRunId}`,
    ResultWriterDetails: { Bucket: bucket.bucket, Key: manifest },
  };
}
