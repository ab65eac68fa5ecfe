import type { ExemptionRules } from '../../domain/verdict/exemptions';
import type { RemediationMode, RemediationSettings } from '../../domain/remediation/plan';
import { InvalidConfigError } from '../../lib/errors';
import { SETTINGS, fromEnvironment, ssmParameterNameIn } from '../../settings/table';
import { exemptionsFromEnvironment } from '../shared/exemptions';

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
    mode: SETTINGS.remediationMode.parse(
      raw.mode,
      `remediation mode (SSM parameter ${ssmParameterNameIn(env, 'remediationMode') ?? '?'})`,
    ),
    deactivateAccessKeys: SETTINGS.deactivateAccessKeys.parse(
      raw.deactivateAccessKeys,
      `deactivate access keys (SSM parameter ${ssmParameterNameIn(env, 'deactivateAccessKeys') ?? '?'})`,
    ),
    maxActions: fromEnvironment(env, SETTINGS.maxActionsPerRun),
    maxPercent: fromEnvironment(env, SETTINGS.maxPercent),
    reportBucket,
    rules: exemptionsFromEnvironment(env),
  };
}
