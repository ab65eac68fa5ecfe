'use strict';

/**
 * Deploy parameters from the environment, and the `.env` file they usually come from.
 *
 * serverless.yml sets `useDotenv: true`: the framework loads `.env.<stage>` if it exists, else
 * `.env`, from the directory it runs in, into the environment (a variable already set in the shell
 * wins). Each deploy parameter is read from the variable of its own name (`maxPercent='50'`), so
 * `.env`, `--param maxPercent=50` and the docs use one name. `--param` wins over both.
 *
 * A misspelt name in `.env` would be ignored and the default used, so the file the framework
 * loaded is read again here and a name that is not a deploy parameter is refused with the closest
 * one. UPPER_CASE names that are not close to a parameter (AWS_REGION, AWS_PROFILE) are left to
 * whoever reads them.
 */

const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const dotenv = require('dotenv');
const { InvalidConfigError } = require('../src/settings/parsers');
const { closestName, deployParameterNames } = require('../src/settings/table');

/**
 * The deploy parameters the environment sets, by parameter name.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Record<string, string>}
 */
function deployParametersFromEnvironment(env) {
  /** @type {Record<string, string>} */
  const values = {};
  for (const param of deployParameterNames()) {
    const value = env[param];
    if (value !== undefined) values[param] = value;
  }
  return values;
}

/**
 * The file the framework loads for `stage` from `dir`, as it chooses it: `.env.<stage>`, else `.env`.
 * @param {string} dir
 * @param {string} stage
 * @returns {string | null}
 */
function dotenvFileFor(dir, stage) {
  for (const name of [`.env.${stage}`, '.env']) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * Refuses a name in the stage's `.env` file that is not a deploy parameter but looks like one.
 * @param {string} dir
 * @param {string} stage
 */
function checkDotenvFile(dir, stage) {
  const file = dotenvFileFor(dir, stage);
  if (!file) return;
  const known = deployParameterNames();
  const values = dotenv.parse(readFileSync(file));
  const { AWS_REGION, AWS_DEFAULT_REGION } = values;
  if (AWS_REGION !== undefined && AWS_DEFAULT_REGION !== undefined && AWS_REGION !== AWS_DEFAULT_REGION) {
    // The stack would go to one region and the aws commands of the docs (v1) to the other.
    throw new InvalidConfigError(
      `${path.basename(file)} sets AWS_REGION=${AWS_REGION} but AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION}: the stack and the aws commands would use different regions`,
    );
  }
  for (const name of Object.keys(values)) {
    if (known.includes(name)) continue;
    const closest = closestName(name, known);
    if (closest === null && /^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    throw new InvalidConfigError(
      `${path.basename(file)} sets "${name}", which is not a deploy parameter` +
        `${closest ? `; did you mean "${closest}"?` : ''} (known: ${known.join(', ')}; UPPER_CASE names such as AWS_REGION are passed on as they are)`,
    );
  }
}

module.exports = { deployParametersFromEnvironment, dotenvFileFor, checkDotenvFile };
