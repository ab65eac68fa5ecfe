import { REPORT_KEY } from '../domain/report/object-keys';
import { InvalidInputError } from '../lib/errors';

/** Where a stored report lives. Travels between the steps instead of the report itself. */
export interface ReportLocation {
  readonly bucket: string;
  /** The JSON report (schemaVersion 1). */
  readonly key: string;
  /** The same report as CSV, beside it. */
  readonly csvKey: string;
  /**
   * The S3 version of the JSON report the scan wrote (the bucket is versioned): the disable step reads
   * exactly this version, so a later write to the same key changes nothing it acts on. Absent when
   * the bucket gave none (versioning off); the disable step then refuses to act.
   */
  readonly versionId?: string;
}

/**
 * S3 version ids are opaque URL-safe strings of at most 1,024 bytes. `null` is the id S3 gives an
 * object written while versioning was off or suspended: it can be overwritten in place, so it
 * does not pin anything.
 */
const VERSION_ID = /^[\x21-\x7e]{1,1024}$/;

/**
 * The `report` field of a step's input, checked before anything is read: two strings, the key one
 * the scan writes (`reports/<account>/<yyyy>/<mm>/<dd>/scan-<stamp>.json`) and the CSV key beside
 * it, and, when given, the version the scan wrote (required by `requireVersion`). `step` names the
 * reader in the message.
 */
export function parseReportLocation(event: unknown, step: string): ReportLocation {
  const report = (event as { report?: Record<string, unknown> } | null | undefined)?.report;
  const { bucket, key, csvKey, versionId } = report ?? {};
  if (typeof bucket !== 'string' || typeof key !== 'string' || typeof csvKey !== 'string' || !bucket) {
    throw new InvalidInputError(`${step} expects { report: { bucket, key, csvKey } } from the scan step`);
  }
  if (!REPORT_KEY.test(key) || csvKey !== key.replace(/\.json$/, '.csv')) {
    throw new InvalidInputError(
      `${step}: ${JSON.stringify(key)} is not a report key the scan writes (reports/<account>/<yyyy>/<mm>/<dd>/scan-<stamp>.json)`,
    );
  }
  if (versionId === undefined) return { bucket, key, csvKey };
  if (typeof versionId !== 'string' || !VERSION_ID.test(versionId) || versionId === 'null') {
    throw new InvalidInputError(`${step}: ${JSON.stringify(versionId)} is not an S3 version id`);
  }
  return { bucket, key, csvKey, versionId };
}

/**
 * The location, when it names the stack's own bucket: every step reads reports from there only,
 * whatever bucket its input names (anyone who can start an execution could name another).
 */
export function inOwnBucket<T extends { readonly bucket: string }>(
  location: T,
  ownBucket: string,
  step: string,
): T {
  if (location.bucket !== ownBucket) {
    throw new InvalidInputError(
      `${step} reads reports from its own bucket ${ownBucket}, not ${location.bucket}`,
    );
  }
  return location;
}

/** The location of a report that must be read at the version the scan wrote (the disable step). */
export function requireVersion(
  location: ReportLocation,
  step: string,
): ReportLocation & { readonly versionId: string } {
  if (location.versionId === undefined) {
    throw new InvalidInputError(
      `${step}: the report location has no S3 version id of the report the scan wrote; is versioning on for the report bucket?`,
    );
  }
  return { ...location, versionId: location.versionId };
}
