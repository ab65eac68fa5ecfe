import { FUNCTIONS, type FunctionKey } from '../../serverless/names';
import { SETTINGS, environmentFor, parseDeployParameters } from '../../src/settings/table';

/**
 * The settings part of the environment the template gives a function when every deploy parameter
 * has its default (the same table and list the packaging uses). Tests add the resource names
 * (REPORT_BUCKET, TOPIC_ARN, the SSM parameter names) and their own overrides.
 */
export function defaultSettingsEnvironment(fn: FunctionKey): Record<string, string> {
  const defaults = new Map(
    Object.values(SETTINGS).map((setting) => [setting.param, setting.default] as const),
  );
  return environmentFor(
    parseDeployParameters((param) => defaults.get(param)),
    FUNCTIONS[fn].settings,
  );
}
