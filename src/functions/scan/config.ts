import type { CredentialScope } from '../../domain/verdict/evaluate';
import type { ExemptionRules } from '../../domain/verdict/exemptions';
import { InvalidConfigError } from '../../lib/errors';
import { SETTINGS, fromEnvironment, ssmParameterNameIn } from '../../settings/table';
import { exemptionsFromEnvironment } from '../shared/exemptions';

export interface ScanConfig {
  readonly thresholdDays: number;
  readonly reportBucket: string;
  readonly source: ReturnType<typeof SETTINGS.scanSource.parse>;
  readonly scope: CredentialScope;
  /** Users read in parallel by the api source. */
  readonly iamConcurrency: number;
  /** Exempt users are reported as `exempt`, with or without the remediation step deployed. */
  readonly exemptions: ExemptionRules;
}

/**
 * The scan's settings: the threshold from SSM (raw string, as middy hands it over), the rest from
 * the function's environment, through the settings table's parsers. Read per invocation and
 * validated before anything runs. The service always judges every kind of credential.
 */
export function readScanConfig(thresholdRaw: unknown, env: NodeJS.ProcessEnv): ScanConfig {
  const reportBucket = env.REPORT_BUCKET?.trim();
  if (!reportBucket) throw new InvalidConfigError('REPORT_BUCKET is not set');
  const thresholdParameter = ssmParameterNameIn(env, 'thresholdDays') ?? 'THRESHOLD_DAYS_PARAMETER';
  return {
    thresholdDays: SETTINGS.thresholdDays.parse(
      thresholdRaw,
      `threshold days (SSM parameter ${thresholdParameter})`,
    ),
    reportBucket,
    source: fromEnvironment(env, SETTINGS.scanSource),
    scope: 'all',
    iamConcurrency: fromEnvironment(env, SETTINGS.iamConcurrency),
    exemptions: exemptionsFromEnvironment(env),
  };
}
