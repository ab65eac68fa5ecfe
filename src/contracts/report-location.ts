import { REPORT_KEY } from '../domain/report/object-keys';
import { InvalidInputError } from '../lib/errors';

/** Where a stored report lives. Travels between the steps instead of the report itself. */
export interface ReportLocation {
  readonly bucket: string;
  /** The JSON report (schemaVersion 1). */
  readonly key: string;
  /** The same report as CSV, beside it. */
  readonly csvKey: string;
}

/**
 * The `report` field of a step's input, checked before anything is read: two strings, the key one
 * the scan writes (`reports/<account>/<yyyy>/<mm>/<dd>/scan-<stamp>.json`) and the CSV key beside
 * it. `step` names the reader in the message.
 */
export function parseReportLocation(event: unknown, step: string): ReportLocation {
  const report = (event as { report?: Record<string, unknown> } | null | undefined)?.report;
  const { bucket, key, csvKey } = report ?? {};
  if (typeof bucket !== 'string' || typeof key !== 'string' || typeof csvKey !== 'string' || !bucket) {
    throw new InvalidInputError(`${step} expects { report: { bucket, key, csvKey } } from the scan step`);
  }
  if (!REPORT_KEY.test(key) || csvKey !== key.replace(/\.json$/, '.csv')) {
    throw new InvalidInputError(
      `${step}: ${JSON.stringify(key)} is not a report key the scan writes (reports/<account>/<yyyy>/<mm>/<dd>/scan-<stamp>.json)`,
    );
  }
  return { bucket, key, csvKey };
}
