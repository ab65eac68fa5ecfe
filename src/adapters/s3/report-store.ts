import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseStoredReport } from '../../contracts/stored-report';
import type { ReportLocation } from '../../contracts/report-location';
import { reportKeys } from '../../domain/report/object-keys';
import { formatReportCsv } from '../../domain/report/report-csv';
import type { ScanReport } from '../../domain/report/scan-report';
import { AwsWriteError, describeAwsError } from '../../lib/errors';
import { readJsonObject } from './json-object';

export interface S3ReportStoreOptions {
  readonly bucket: string;
  readonly client?: S3Client;
}

/** Reports as S3 objects: the JSON contract plus a CSV copy for people with spreadsheets. */
export class S3ReportStore {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor({ bucket, client = new S3Client({}) }: S3ReportStoreOptions) {
    this.bucket = bucket;
    this.client = client;
  }

  async save(report: ScanReport): Promise<ReportLocation> {
    const { key, csvKey } = reportKeys(report);
    await this.put(key, JSON.stringify(report), 'application/json');
    await this.put(csvKey, formatReportCsv(report), 'text/csv; charset=utf-8');
    return { bucket: this.bucket, key, csvKey };
  }

  /** The report at `key` in this store's bucket, validated whole (see parseStoredReport). */
  async load({ key }: Pick<ReportLocation, 'key'>): Promise<ScanReport> {
    const json = await readJsonObject(this.client, this.bucket, key, 'report');
    return parseStoredReport(json, `s3://${this.bucket}/${key}`);
  }

  private async put(key: string, body: string, contentType: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (error) {
      throw new AwsWriteError(`writing s3://${this.bucket}/${key} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
  }
}
