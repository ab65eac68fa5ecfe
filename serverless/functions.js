'use strict';

/**
 * `functions:` for serverless.yml. The `disable` function exists only when the stack is deployed
 * with `--param remediation=true`, the `findings` function only with `--param securityHub=true`;
 * otherwise they are not in the template at all.
 *
 * Each function runs under its own role (see roles/), named explicitly so the role's log
 * permissions and the function cannot drift apart. Each gets exactly the settings it reads, as
 * environment variables written by the settings table, which its handler parses back with the
 * same parsers.
 */

const { environmentFor, ssmNameEnvironment } = require('../src/settings/table');
const { FUNCTIONS, LOGICAL_IDS } = require('./names');
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
      ...ssmNameEnvironment(names.parameterName, FUNCTIONS[key].ssm),
      ...environmentFor(settings, FUNCTIONS[key].settings),
    },
  });

  /** @type {Record<string, ReturnType<typeof lambda>>} */
  const functions = {
    scan: lambda('scan', {
      REPORT_BUCKET: reportBucket,
    }),
    render: lambda('render', { REPORT_BUCKET: reportBucket }),
    notify: lambda('notify', {
      TOPIC_ARN: { Ref: LOGICAL_IDS.topic },
      REPORT_BUCKET: reportBucket,
    }),
  };

  if (settings.securityHub) {
    functions.findings = lambda('findings', { REPORT_BUCKET: reportBucket });
  }
  if (settings.remediation) {
    functions.disable = lambda('disable', { REPORT_BUCKET: reportBucket });
  }
  return functions;
};
