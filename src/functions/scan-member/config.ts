import type { ExemptionRules } from '../../domain/verdict/exemptions';
import { SETTINGS, fromEnvironment } from '../../settings/table';
import { exemptionsFromEnvironment } from '../shared/exemptions';
import { resourceName } from '../shared/environment';

export interface ScanMemberConfig {
  readonly reportBucket: string;
  readonly memberRoleName: string;
  readonly source: ReturnType<typeof SETTINGS.scanSource.parse>;
  readonly iamConcurrency: number;
  readonly exemptions: ExemptionRules;
  /** Import each account's findings into its own Security Hub, through its member role. */
  readonly securityHub: boolean;
}

/**
 * The same settings as the single-account scan (source, concurrency, exemptions), plus the member
 * role's name. The threshold is not here: it comes with the run, read once by discover.
 */
export function readScanMemberConfig(env: NodeJS.ProcessEnv): ScanMemberConfig {
  return {
    reportBucket: resourceName(env, 'REPORT_BUCKET'),
    memberRoleName: fromEnvironment(env, SETTINGS.memberRoleName),
    source: fromEnvironment(env, SETTINGS.scanSource),
    iamConcurrency: fromEnvironment(env, SETTINGS.iamConcurrency),
    exemptions: exemptionsFromEnvironment(env),
    securityHub: fromEnvironment(env, SETTINGS.securityHub),
  };
}
