import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { formatReportCsv } from '../../domain/report/report-csv';
import { reportKeys, type ReportLocation, type ReportStore } from '../../domain/report/object-keys';
import { REPORT_SCHEMA_VERSION, type ScanReport } from '../../domain/report/scan-report';
import { AwsReadError, AwsWriteError, InvalidInputError, describeAwsError } from '../../lib/errors';

export interface S3ReportStoreOptions {
  readonly bucket: string;
  readonly client?: S3Client;
}

/** Reports as S3 objects: the JSON contract plus a CSV copy for people with spreadsheets. */
export class S3ReportStore implements ReportStore {
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

  async load({ bucket, key }: Pick<ReportLocation, 'bucket' | 'key'>): Promise<ScanReport> {
    let text: string;
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!Body) throw new Error('empty body');
      text = await Body.transformToString('utf-8');
    } catch (error) {
      throw new AwsReadError(`reading report s3://${bucket}/${key} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
    let report: unknown;
    try {
      report = JSON.parse(text);
    } catch (error) {
      throw new InvalidInputError(`report s3://${bucket}/${key} is not JSON`, { cause: error });
    }
    const version = (report as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (version !== REPORT_SCHEMA_VERSION) {
      throw new InvalidInputError(
        `report s3://${bucket}/${key} has schemaVersion ${JSON.stringify(version) ?? 'none'}, expected ${REPORT_SCHEMA_VERSION}`,
      );
    }
    if (!Array.isArray((report as { users?: unknown }).users)) {
      throw new InvalidInputError(`report s3://${bucket}/${key} has no users list`);
    }
    return report as ScanReport;
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
