import { BUCKET_PREFIXES } from '../../settings/bucket-layout';
import { ORGANIZATION_REPORT_KEY, REPORT_KEY } from '../report/object-keys';

/**
 * Where the visual report keeps its objects, all derived from the key of the run's JSON report
 * (which readers have already checked against REPORT_KEY or ORGANIZATION_REPORT_KEY):
 *
 *   reports/123456789012/2026/11/28/scan-2026-11-28T000000Z.html   the page, beside the report
 *   history/123456789012/8204175999-2026-11-28T000000Z.json          the run's history entry
 *
 * and for an organisation run, its organisation report's page and a history of its own:
 *
 *   reports/organization/2026/11/28/organization-2026-11-28T000000Z.html
 *   history/organization/8204175999-2026-11-28T000000Z.json
 *
 * A history key starts with 9,999,999,999 minus the run's Unix second, ten digits: S3 lists keys
 * in ascending order, so the newest run comes first, and `StartAfter` = this run's own key lists
 * exactly the runs before it, newest first, in one request however long the history is.
 */

const LAST_SECOND = 9_999_999_999;
const STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The history folder of an organisation's runs, beside the accounts' (`history/<account>/`). */
export const ORGANIZATION_HISTORY = 'organization';

/** `history/<account or organization>/<order>-<stamp>.json`, the shape of a history key. */
export const HISTORY_KEY = new RegExp(
  `^${BUCKET_PREFIXES.history}(\\d{12}|unknown-account|${ORGANIZATION_HISTORY})/(\\d{10})-(\\d{4}-\\d{2}-\\d{2}T\\d{6}Z)\\.json$`,
);

/** A report key the scan or the roll-up writes: the page and history of either. */
export function isRenderedReportKey(key: string): boolean {
  return REPORT_KEY.test(key) || ORGANIZATION_REPORT_KEY.test(key);
}

/**
 * The parts of a report key (`account` is ORGANIZATION_HISTORY for an organisation report), or an
 * error for anything else.
 */
function reportKeyParts(reportKey: string): { account: string; stamp: string } {
  if (ORGANIZATION_REPORT_KEY.test(reportKey)) {
    return { account: ORGANIZATION_HISTORY, stamp: stampOf(reportKey, '/organization-') };
  }
  if (!REPORT_KEY.test(reportKey)) {
    throw new RangeError(
      `${JSON.stringify(reportKey)} is not a report key the scan writes, nor an organisation report key the roll-up writes`,
    );
  }
  return { account: reportKey.split('/')[1] ?? '', stamp: stampOf(reportKey, '/scan-') };
}

function stampOf(reportKey: string, marker: string): string {
  return reportKey.slice(reportKey.lastIndexOf(marker) + marker.length, -'.json'.length);
}

/** The instant a stamp (`2026-11-28T000512Z`) names, or null when it names none. */
function instantOfStamp(stamp: string): Date | null {
  const parts = STAMP.exec(stamp);
  if (!parts) return null;
  const [, day, hh, mm, ss] = parts;
  const at = new Date(`${day}T${hh}:${mm}:${ss}Z`);
  return Number.isNaN(at.getTime()) || at.toISOString().slice(0, 19) !== `${day}T${hh}:${mm}:${ss}`
    ? null
    : at;
}

/** The HTML page of the report at `reportKey`, beside it. */
export function visualReportKeyOf(reportKey: string): string {
  reportKeyParts(reportKey);
  return reportKey.replace(/\.json$/, '.html');
}

/** The folder of the account's (or the organisation's) history entries. */
export function historyPrefixOf(reportKey: string): string {
  return `${BUCKET_PREFIXES.history}${reportKeyParts(reportKey).account}/`;
}

/** The instant (to the second) in the name of the report at `reportKey`. */
export function runInstantOf(reportKey: string): Date {
  const at = instantOfStamp(reportKeyParts(reportKey).stamp);
  if (!at) throw new RangeError(`${JSON.stringify(reportKey)} has no valid time stamp`);
  return at;
}

/** The key of the history entry of the run whose report is at `reportKey`. */
export function historyKeyOf(reportKey: string): string {
  const { account, stamp } = reportKeyParts(reportKey);
  const at = runInstantOf(reportKey);
  const order = String(LAST_SECOND - Math.floor(at.getTime() / 1000)).padStart(10, '0');
  return `${BUCKET_PREFIXES.history}${account}/${order}-${stamp}.json`;
}
