import { SETTINGS, fromEnvironment } from '../../settings/table';
import { resourceName } from '../shared/environment';

export interface RollUpConfig {
  readonly reportBucket: string;
  /** Every account of the run was read from this source: their reports must say so. */
  readonly source: ReturnType<typeof SETTINGS.scanSource.parse>;
}

export function readRollUpConfig(env: NodeJS.ProcessEnv): RollUpConfig {
  return {
    reportBucket: resourceName(env, 'REPORT_BUCKET'),
    source: fromEnvironment(env, SETTINGS.scanSource),
  };
}
