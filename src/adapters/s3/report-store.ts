import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseStoredReport } from '../../contracts/stored-report';
import type { ReportLocation } from '../../contracts/report-location';
import { reportKeys } from '../../domain/report/object-keys';
import { formatReportCsv } from '../../domain/report/report-csv';
import type { ScanReport } from '../../domain/report/scan-report';
import { AwsReadError, AwsWriteError, InvalidInputError, describeAwsError } from '../../lib/errors';

export interface S3ReportStoreOptions {
  readonly bucket: string;
  readonly client?: S3Client;
}

/**
 * Reports as S3 objects: the JSON contract plus a CSV copy for people with spreadsheets. The bucket
 * is versioned: saving returns the version S3 gave the JSON report, and loading reads exactly the
 * version it is given, never whatever was written to the key since.
 */
export class S3ReportStore {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor({ bucket, client = new S3Client({}) }: S3ReportStoreOptions) {
    this.bucket = bucket;
    this.client = client;
  }

  async save(report: ScanReport): Promise<ReportLocation> {
    const { key, csvKey } = reportKeys(report);
    const versionId = await this.put(key, JSON.stringify(report), 'application/json');
    if (!versionId || versionId === 'null') {
      throw new AwsWriteError(
        `s3://${this.bucket}/${key} was written without a version id: turn versioning on for the report bucket (the template does)`,
      );
    }
    await this.put(csvKey, formatReportCsv(report), 'text/csv; charset=utf-8');
    return { bucket: this.bucket, key, csvKey, versionId };
  }

  /** The report at `key`, version `versionId`, in this store's bucket, validated whole (see parseStoredReport). */
  async load({ key, versionId }: Pick<ReportLocation, 'key' | 'versionId'>): Promise<ScanReport> {
    const where = `s3://${this.bucket}/${key}`;
    let text: string;
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }),
      );
      if (!object.Body) throw new Error('empty body');
      text = await object.Body.transformToString('utf-8');
    } catch (error) {
      throw new AwsReadError(
        `reading report ${where} version ${versionId} failed: ${describeAwsError(error)}`,
        {
          cause: error,
        },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new InvalidInputError(`report ${where} is not JSON`, { cause: error });
    }
    return parseStoredReport(json, where);
  }

  /** Returns the version id S3 gave the object (undefined without versioning). */
  private async put(key: string, body: string, contentType: string): Promise<string | undefined> {
    try {
      const { VersionId } = await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      );
      return VersionId;
    } catch (error) {
      throw new AwsWriteError(`writing s3://${this.bucket}/${key} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
  }
}
