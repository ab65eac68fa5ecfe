'use strict';

/**
 * `params:` for serverless.yml: every deploy parameter's default from the settings table, and the
 * per-stage defaults, so that `${param:name}` resolves for every known name and each default is
 * written once. A value from the environment (usually `.env`, see dotenv.js) wins over both;
 * `--param name=value` wins over everything.
 */

const { SETTINGS, STAGE_DEFAULTS } = require('../src/settings/table');
const { deployParametersFromEnvironment } = require('./dotenv');

/** @returns {Record<string, Record<string, string>>} params by stage, and `default` */
module.exports = () => {
  const fromEnvironment = deployParametersFromEnvironment(process.env);
  /** @type {Record<string, string>} */
  const defaults = {};
  for (const setting of Object.values(SETTINGS)) {
    if (setting.param) defaults[setting.param] = setting.default;
  }
  /** @type {Record<string, Record<string, string>>} */
  const stages = {};
  for (const [stage, values] of Object.entries(STAGE_DEFAULTS)) {
    // The framework prefers params.<stage> to params.default: drop what the environment sets.
    stages[stage] = Object.fromEntries(
      Object.entries(values).filter(([param]) => !(param in fromEnvironment)),
    );
  }
  return { default: { ...defaults, ...fromEnvironment }, ...stages };
};
