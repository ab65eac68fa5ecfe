import { InvalidConfigError } from '../../lib/errors';

/** A resource name the template gives a function (REPORT_BUCKET, TOPIC_ARN): required, never defaulted. */
export function resourceName(env: NodeJS.ProcessEnv, variable: string): string {
  const value = env[variable]?.trim();
  if (!value) throw new InvalidConfigError(`${variable} is not set`);
  return value;
}
