import { S3Client } from '@aws-sdk/client-s3';
import { parseStoredReport } from '../../contracts/stored-report';
import type { ReportLocation } from '../../contracts/report-location';
import { reportKeys } from '../../domain/report/object-keys';
import { formatReportCsv } from '../../domain/report/report-csv';
import type { ScanReport } from '../../domain/report/scan-report';
import { S3Objects } from './objects';

export interface S3ReportStoreOptions {
  readonly bucket: string;
  readonly client?: S3Client;
}

/**
 * Reports as S3 objects: the JSON contract plus a CSV copy for people with spreadsheets. The bucket
 * is versioned: saving returns the version S3 gave the JSON report, and `loadVersion` reads exactly
 * that version (the disable step), never whatever was written to the key since.
 */
export class S3ReportStore {
  private readonly bucket: string;
  private readonly objects: S3Objects;

  constructor({ bucket, client = new S3Client({}) }: S3ReportStoreOptions) {
    this.bucket = bucket;
    this.objects = new S3Objects(bucket, client);
  }

  async save(report: ScanReport): Promise<ReportLocation> {
    const { key, csvKey } = reportKeys(report);
    const versionId = await this.objects.writeText(key, JSON.stringify(report), 'application/json');
    await this.objects.writeText(csvKey, formatReportCsv(report), 'text/csv; charset=utf-8');
    // `null` is the id S3 gives while versioning is off or suspended: it pins nothing, so it is not
    // passed on (and the disable step, which requires a version, then refuses to act).
    return { bucket: this.bucket, key, csvKey, ...(versionId && versionId !== 'null' ? { versionId } : {}) };
  }

  /** The latest report at `key` in this store's bucket, validated whole (see parseStoredReport). */
  async load({ key }: Pick<ReportLocation, 'key'>): Promise<ScanReport> {
    return parseStoredReport(await this.objects.readJson(key, 'report '), this.objects.where(key));
  }

  /** Exactly version `versionId` of the report at `key`, validated whole. */
  async loadVersion({ key, versionId }: { key: string; versionId: string }): Promise<ScanReport> {
    return parseStoredReport(await this.objects.readJson(key, 'report ', versionId), this.objects.where(key));
  }
}
