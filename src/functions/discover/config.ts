import { InvalidConfigError } from '../../lib/errors';
import { SETTINGS, fromEnvironment, ssmParameterNameIn } from '../../settings/table';
import { resourceName } from '../shared/environment';

export interface DiscoverConfig {
  readonly reportBucket: string;
  /** Read once per run, here, and handed to every account: one threshold for the whole organisation. */
  readonly thresholdDays: number;
  readonly includeOrganizationalUnits: readonly string[];
  readonly excludeAccounts: readonly string[];
}

/** The threshold from SSM (as middy hands it over), the rest from the environment, through the settings table. */
export function readDiscoverConfig(thresholdRaw: unknown, env: NodeJS.ProcessEnv): DiscoverConfig {
  const thresholdParameter = ssmParameterNameIn(env, 'thresholdDays');
  if (!thresholdParameter) throw new InvalidConfigError('THRESHOLD_DAYS_PARAMETER is not set');
  return {
    reportBucket: resourceName(env, 'REPORT_BUCKET'),
    thresholdDays: SETTINGS.thresholdDays.parse(
      thresholdRaw,
      `threshold days (SSM parameter ${thresholdParameter})`,
    ),
    includeOrganizationalUnits: fromEnvironment(env, SETTINGS.includeOrganizationalUnits),
    excludeAccounts: fromEnvironment(env, SETTINGS.excludeAccounts),
  };
}
