import { exemptionRulesFrom, type ExemptionRules } from '../../domain/verdict/exemptions';
import {
  REMEDIATION_MODES,
  type RemediationMode,
  type RemediationSettings,
} from '../../domain/remediation/plan';
import { parseBoolean, parseChoice, parseWholeNumber } from '../../lib/config';
import { InvalidConfigError } from '../../lib/errors';

export interface DisableConfig extends RemediationSettings {
  readonly mode: RemediationMode;
  readonly reportBucket: string;
  readonly rules: ExemptionRules;
}

/**
 * Mode and key switch from SSM (operators flip them with put-parameter), caps and exemptions from
 * the environment. Every value is checked before anything is read from IAM: a typo in `enforce` is
 * an error, never a guess.
 */
export function readDisableConfig(
  raw: { mode: unknown; deactivateAccessKeys: unknown },
  env: NodeJS.ProcessEnv,
): DisableConfig {
  const reportBucket = env.REPORT_BUCKET?.trim();
  if (!reportBucket) throw new InvalidConfigError('REPORT_BUCKET is not set');
  return {
    mode: parseChoice(
      `remediation mode (SSM parameter ${env.REMEDIATION_MODE_PARAMETER ?? '?'})`,
      raw.mode,
      REMEDIATION_MODES,
    ),
    deactivateAccessKeys: parseBoolean(
      `deactivate access keys (SSM parameter ${env.DEACTIVATE_ACCESS_KEYS_PARAMETER ?? '?'})`,
      raw.deactivateAccessKeys,
    ),
    maxActions: parseWholeNumber('MAX_ACTIONS', env.MAX_ACTIONS ?? '10', 0, 10_000),
    maxPercent: parseWholeNumber('MAX_PERCENT', env.MAX_PERCENT ?? '20', 0, 100),
    reportBucket,
    rules: exemptionRulesFrom({
      userNames: env.EXEMPT_USER_NAMES,
      pathPrefixes: env.EXEMPT_PATH_PREFIXES,
      groupNames: env.EXEMPT_GROUP_NAMES,
    }),
  };
}
