'use strict';

/**
 * `functions:` for serverless.yml. The `disable` function exists only when the stack is deployed
 * with `--param remediation=true`; otherwise it is not in the template at all.
 *
 * Each function runs under its own role (see resources.js), named explicitly so the role's log
 * permissions and the function cannot drift apart.
 */

const { LOGICAL_IDS, readSettings, wholeNumber } = require('./settings');

/** Exemptions are reported by the scan (status `exempt`) even without remediation, and honoured by disable. */
async function exemptionEnvironment(param) {
  return {
    EXEMPT_USER_NAMES: await param('exemptUserNames'),
    EXEMPT_PATH_PREFIXES: await param('exemptPathPrefixes'),
    EXEMPT_GROUP_NAMES: await param('exemptGroupNames'),
  };
}

module.exports = async ({ resolveVariable }) => {
  const settings = await readSettings(resolveVariable);
  const { functionName, parameterNames, remediation, scanSource } = settings;
  // Environment values must be strings; a `params:` default such as `400` arrives as a number.
  const param = async (name) => {
    const value = await resolveVariable(`param:${name}`);
    return value == null ? '' : String(value);
  };
  const reportBucket = { Ref: LOGICAL_IDS.bucket };
  const exemptions = await exemptionEnvironment(param);

  const functions = {
    scan: {
      name: functionName('scan'),
      description: 'Finds IAM users and credentials unused for N days; writes the report to S3',
      handler: 'src/functions/scan/handler.handler',
      role: LOGICAL_IDS.roleOf('scan'),
      timeout: 900,
      memorySize: 1024,
      environment: {
        THRESHOLD_DAYS_PARAMETER: parameterNames.thresholdDays,
        REPORT_BUCKET: reportBucket,
        SCAN_SOURCE: scanSource,
        // Users read in parallel by the api source (1 to 32; the scan refuses anything else).
        IAM_CONCURRENCY: String(wholeNumber('iamConcurrency', await param('iamConcurrency'), 1, 32)),
        CREDENTIAL_SCOPE: 'all',
        // The scan does not read the remediation mode: it reports, and only disable decides what to do.
        ...exemptions,
      },
    },
    notify: {
      name: functionName('notify'),
      description: 'Emails the operators one summary of the latest stale-iam report',
      handler: 'src/functions/notify/handler.handler',
      role: LOGICAL_IDS.roleOf('notify'),
      timeout: 60,
      environment: {
        TOPIC_ARN: { Ref: LOGICAL_IDS.topic },
        REPORT_BUCKET: reportBucket,
        NOTIFY_LANGUAGE: await param('notifyLanguage'),
        NOTIFY_WHEN_CLEAN: await param('notifyWhenClean'),
        WARNING_DAYS: await param('warningDays'),
      },
    },
  };

  if (remediation) {
    functions.disable = {
      name: functionName('disable'),
      description: 'Removes stale console passwords (and, if switched on, deactivates stale keys)',
      handler: 'src/functions/disable/handler.handler',
      role: LOGICAL_IDS.roleOf('disable'),
      timeout: 900,
      environment: {
        REPORT_BUCKET: reportBucket,
        REMEDIATION_MODE_PARAMETER: parameterNames.remediationMode,
        DEACTIVATE_ACCESS_KEYS_PARAMETER: parameterNames.deactivateAccessKeys,
        MAX_ACTIONS: await param('maxActionsPerRun'),
        MAX_PERCENT: await param('maxPercent'),
        ...exemptions,
      },
    };
  }

  return functions;
};
