'use strict';

/**
 * `functions:` for serverless.yml: those `deployedFunctions` names for the settings. The `disable`
 * function exists only when the stack is deployed with `--param remediation=true`, the `findings`
 * function only with `--param securityHub=true`; with `--param accountScope=organization`,
 * discover, scanMember, rollup, render and notifyOrganization (and with remediation,
 * planRemediation and disableMember) replace them. A function a
 * deployment does not have is not in the template at all.
 *
 * Each function runs under its own role (see roles/), named explicitly so the role's log
 * permissions and the function cannot drift apart. Each gets exactly the settings it reads, as
 * environment variables written by the settings table, which its handler parses back with the
 * same parsers.
 */

const { environmentFor, ssmNameEnvironment } = require('../src/settings/table');
const { FUNCTIONS, LOGICAL_IDS, deployedFunctions, ssmSettingsOf } = require('./names');
const { readDeployment } = require('./deployment');

/** @param {import('./deployment').FrameworkContext} context */
module.exports = async (context) => {
  const { settings, names } = await readDeployment(context);
  const reportBucket = { Ref: LOGICAL_IDS.bucket };

  /**
   * @param {import('./names').FunctionKey} key
   * @param {Record<string, unknown>} environment
   */
  const lambda = (key, environment) => ({
    name: names.functionName(key),
    description: FUNCTIONS[key].description,
    handler: FUNCTIONS[key].handler,
    role: LOGICAL_IDS.roleOf(key),
    timeout: FUNCTIONS[key].timeout,
    memorySize: FUNCTIONS[key].memorySize,
    environment: {
      ...environment,
      ...ssmNameEnvironment(names.parameterName, ssmSettingsOf(key, settings)),
      ...environmentFor(settings, FUNCTIONS[key].settings),
    },
  });

  const topic = { Ref: LOGICAL_IDS.topic };
  /**
   * The resources each function is told the names of.
   * @type {Record<import('./names').FunctionKey, Record<string, unknown>>}
   */
  const resourcesOf = {
    scan: { REPORT_BUCKET: reportBucket },
    notify: { TOPIC_ARN: topic, REPORT_BUCKET: reportBucket },
    disable: { REPORT_BUCKET: reportBucket },
    findings: { REPORT_BUCKET: reportBucket },
    render: { REPORT_BUCKET: reportBucket },
    discover: { REPORT_BUCKET: reportBucket },
    scanMember: { REPORT_BUCKET: reportBucket },
    rollup: { REPORT_BUCKET: reportBucket },
    planRemediation: { REPORT_BUCKET: reportBucket },
    disableMember: { REPORT_BUCKET: reportBucket },
    notifyOrganization: { TOPIC_ARN: topic, REPORT_BUCKET: reportBucket },
  };

  /** @type {Record<string, ReturnType<typeof lambda>>} */
  const functions = {};
  for (const key of deployedFunctions(settings)) functions[key] = lambda(key, resourcesOf[key]);
  return functions;
};
