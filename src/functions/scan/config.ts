import { CREDENTIAL_SCOPES, type CredentialScope } from '../../domain/verdict/evaluate';
import { exemptionRulesFrom, type ExemptionRules } from '../../domain/verdict/exemptions';
import { DEFAULT_IAM_CONCURRENCY, MAX_IAM_CONCURRENCY } from '../../adapters/iam/api-source';
import { parseChoice, parseThresholdDays, parseWholeNumber } from '../../lib/config';
import { InvalidConfigError } from '../../lib/errors';

export const SCAN_SOURCES = ['credential-report', 'api'] as const;

export interface ScanConfig {
  readonly thresholdDays: number;
  readonly reportBucket: string;
  readonly source: (typeof SCAN_SOURCES)[number];
  readonly scope: CredentialScope;
  /** Users read in parallel by the api source. */
  readonly iamConcurrency: number;
  /** Exempt users are reported as `exempt`, with or without the remediation step deployed. */
  readonly exemptions: ExemptionRules;
}

/**
 * The scan's settings: the threshold from SSM (raw string, as middy hands it over), the rest from
 * the function's environment. Read per invocation and validated before anything runs.
 */
export function readScanConfig(thresholdRaw: unknown, env: NodeJS.ProcessEnv): ScanConfig {
  const reportBucket = env.REPORT_BUCKET?.trim();
  if (!reportBucket) throw new InvalidConfigError('REPORT_BUCKET is not set');
  return {
    thresholdDays: parseThresholdDays(
      thresholdRaw,
      `threshold days (SSM parameter ${env.THRESHOLD_DAYS_PARAMETER ?? 'THRESHOLD_DAYS_PARAMETER'})`,
    ),
    reportBucket,
    source: parseChoice('SCAN_SOURCE', env.SCAN_SOURCE ?? 'credential-report', SCAN_SOURCES),
    scope: parseChoice('CREDENTIAL_SCOPE', env.CREDENTIAL_SCOPE ?? 'all', CREDENTIAL_SCOPES),
    iamConcurrency: parseWholeNumber(
      'IAM_CONCURRENCY',
      env.IAM_CONCURRENCY || String(DEFAULT_IAM_CONCURRENCY),
      1,
      MAX_IAM_CONCURRENCY,
    ),
    exemptions: exemptionRulesFrom({
      userNames: env.EXEMPT_USER_NAMES,
      pathPrefixes: env.EXEMPT_PATH_PREFIXES,
      groupNames: env.EXEMPT_GROUP_NAMES,
    }),
  };
}
