import { S3Client } from '@aws-sdk/client-s3';
import { parseReportView } from '../../contracts/report-view';
import type { ReportView } from '../../domain/visual-report/report-view';
import { AwsReadError, InvalidInputError } from '../../lib/errors';
import { S3Objects } from './objects';

export interface S3VisualReportStoreOptions {
  readonly bucket: string;
  readonly client?: S3Client;
}

/** What the render function reads and writes beside the reports: the report (either shape) and its page. */
export class S3VisualReportStore {
  private readonly objects: S3Objects;

  constructor({ bucket, client = new S3Client({}) }: S3VisualReportStoreOptions) {
    this.objects = new S3Objects(bucket, client);
  }

  /**
   * The report at `key`, validated whole (parseReportView). A report that is not there (expired
   * by the bucket's lifecycle rule, or never written) is a ReportMissingError.
   */
  async loadReport(key: string): Promise<ReportView> {
    let json: unknown;
    try {
      json = await this.objects.readJson(key, 'report ');
    } catch (error) {
      if (error instanceof AwsReadError && error.cause instanceof Error && error.cause.name === 'NoSuchKey') {
        throw new ReportMissingError(`report ${this.objects.where(key)} does not exist`, { cause: error });
      }
      throw error;
    }
    return parseReportView(json, this.objects.where(key));
  }

  /** The page at `key`, served as HTML when opened from S3. */
  async saveHtml(key: string, html: string): Promise<void> {
    await this.objects.writeText(key, html, 'text/html; charset=utf-8');
  }
}

/** The object is not there: for an earlier run's report, a normal end of its retention. */
export class ReportMissingError extends InvalidInputError {
  override name = 'ReportMissingError';
}
