'use strict';

/**
 * Where things live in the report bucket: the prefixes the roles are scoped to (serverless/) and
 * the keys are built under (src/domain/report/object-keys.ts), written once for both.
 */
const BUCKET_PREFIXES = Object.freeze({
  /** Scan reports, one folder per account: `reports/<account>/<yyyy>/<mm>/<dd>/scan-<stamp>.json`. */
  reports: 'reports/',
  /** Organisation reports: `reports/organization/<yyyy>/<mm>/<dd>/organization-<stamp>.json`. */
  organizationReports: 'reports/organization/',
  /** What an organisation run hands between its steps: `runs/<execution name>/accounts.json`, ... */
  runs: 'runs/',
  /**
   * The Distributed Map's ResultWriter `Prefix`: Step Functions adds `/<map run id>/` and writes
   * `manifest.json` and the result files there. A fixed prefix: the map run id makes each run's
   * folder its own.
   */
  mapResults: 'runs/map-results',
  /** The HTML report's history: `history/<account>/...` (render). */
  history: 'history/',
  /**
   * The remediation audit trail, one folder per disable run:
   * `audit/<account>/<yyyy>/<mm>/<dd>/disable-<stamp>-<request id>/` (see object-keys.ts). Kept
   * `auditRetentionDays`, longer than everything else.
   */
  audit: 'audit/',
  /**
   * Organisation mode: each run's remediation plan, `audit/organization/<yyyy>/<mm>/<dd>/plan-<stamp>-<request id>.json`,
   * what every member's disable step verifies its own plan against (the members' own trails are
   * under `audit/<account>/`).
   */
  organizationAudit: 'audit/organization/',
});

module.exports = { BUCKET_PREFIXES };
