import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseReportView } from '../../contracts/report-view';
import type { ReportView } from '../../domain/visual-report/report-view';
import { AwsReadError, AwsWriteError, InvalidInputError, describeAwsError } from '../../lib/errors';
import { readJsonObject } from './json-object';

export interface S3VisualReportStoreOptions {
  readonly bucket: string;
  readonly client?: S3Client;
}

/** What the render function reads and writes beside the reports: the report (either shape) and its page. */
export class S3VisualReportStore {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor({ bucket, client = new S3Client({}) }: S3VisualReportStoreOptions) {
    this.bucket = bucket;
    this.client = client;
  }

  /**
   * The report at `key`, validated whole (parseReportView). A report that is not there (expired
   * by the bucket's lifecycle rule, or never written) is a ReportMissingError.
   */
  async loadReport(key: string): Promise<ReportView> {
    let json: unknown;
    try {
      json = await readJsonObject(this.client, this.bucket, key, 'report');
    } catch (error) {
      if (error instanceof AwsReadError && error.cause instanceof Error && error.cause.name === 'NoSuchKey') {
        throw new ReportMissingError(`report s3://${this.bucket}/${key} does not exist`, { cause: error });
      }
      throw error;
    }
    return parseReportView(json, `s3://${this.bucket}/${key}`);
  }

  /** The page at `key`, served as HTML when opened from S3. */
  async saveHtml(key: string, html: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: html,
          ContentType: 'text/html; charset=utf-8',
        }),
      );
    } catch (error) {
      throw new AwsWriteError(`writing s3://${this.bucket}/${key} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
  }
}

/** The object is not there: for an earlier run's report, a normal end of its retention. */
export class ReportMissingError extends InvalidInputError {
  override name = 'ReportMissingError';
}
