'use strict';

/**
 * What every builder in this folder needs to know about the deployment being packaged: the stage,
 * every setting parsed through the settings table, and the names derived from the stage.
 *
 * serverless.yml loads each builder with `${file(./serverless/<name>.js)}`; the framework calls the
 * exported function with `{ options, resolveVariable }` ("Exporting a function" in the variables
 * docs of osls and Serverless Framework v3/v4), so the builders read the same deploy parameters as
 * the YAML does and `--param name=value` overrides them everywhere.
 */

const { InvalidConfigError } = require('../src/settings/parsers');
const { checkParameterNames, parseDeployParameters, deployParameterNames } = require('../src/settings/table');
const { namesFor } = require('./names');
const { checkDotenvFile } = require('./dotenv');

/**
 * @typedef {object} FrameworkContext
 * @property {(address: string) => Promise<unknown>} resolveVariable
 * @property {{ param?: string[] | null, stage?: string | null }} [options]
 */

/**
 * @typedef {object} Deployment
 * @property {string} stage
 * @property {import('../src/settings/table').SettingValues} settings
 * @property {import('./names').Names} names
 */

/** @type {Deployment | null} */
let current = null;

/**
 * The deployment, read once per packaging run (three builders ask for it). An invalid or unknown
 * deploy parameter ends packaging with one line naming it: the framework would otherwise print the
 * same error once per builder, each time with a stack trace. Any other error (the framework asking
 * to be called again once a variable it depends on is resolved) propagates as it is.
 * @param {FrameworkContext} context
 * @returns {Promise<Deployment>}
 */
async function readDeployment(context) {
  try {
    current ??= await deploymentFrom(context);
    return current;
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    process.stderr.write(`stale-iam: ${error.message}\n`);
    process.exit(1);
  }
}

/**
 * @param {FrameworkContext} context
 * @returns {Promise<Deployment>}
 */
async function deploymentFrom({ resolveVariable, options }) {
  // `--param name=value`: the name is everything before the first `=`.
  checkParameterNames((options?.param ?? []).map((entry) => entry.split('=')[0] ?? ''));
  const stage = String(await resolveVariable('sls:stage'));
  // The framework reads `.env` from the directory it runs in.
  checkDotenvFile(process.cwd(), stage);
  /** @type {Record<string, unknown>} */
  const raw = {};
  for (const param of deployParameterNames()) raw[param] = await resolveVariable(`param:${param}`);
  const settings = parseDeployParameters((param) => raw[param]);
  return { stage, settings, names: namesFor(stage) };
}

module.exports = { readDeployment, deploymentFrom };
