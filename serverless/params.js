'use strict';

/**
 * `params:` for serverless.yml: every deploy parameter's default from the settings table, and the
 * per-stage defaults, so that `${param:name}` resolves for every known name and each default is
 * written once. `--param name=value` wins over both.
 */

const { SETTINGS, STAGE_DEFAULTS } = require('../src/settings/table');

module.exports = () => {
  /** @type {Record<string, string>} */
  const defaults = {};
  for (const setting of Object.values(SETTINGS)) {
    if (setting.param) defaults[setting.param] = setting.default;
  }
  return { default: defaults, ...STAGE_DEFAULTS };
};
