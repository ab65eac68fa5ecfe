import type { SsmLiveParameters } from '../../adapters/ssm/live-parameters';
import type { ExemptionRules } from '../../domain/verdict/exemptions';
import type { RemediationMode, RemediationSettings } from '../../domain/remediation/plan';
import { InvalidConfigError } from '../../lib/errors';
import { SETTINGS, fromEnvironment, ssmParameterNameIn, type SettingKey } from '../../settings/table';
import { exemptionsFromEnvironment } from './exemptions';

/**
 * What every step that plans or carries out a remediation reads from its environment (the disable
 * function; in organisation mode, planRemediation and disableMember), all of it checked before any
 * AWS call.
 */
export interface RemediationEnvironment {
  readonly reportBucket: string;
  readonly maxActions: number;
  readonly maxPercent: number;
  readonly minEnforceDays: number;
  /** Deployed with access-key deactivation: only then is the SSM switch read, and only then may keys be touched. */
  readonly accessKeyDeactivation: boolean;
  /** Object Lock retention of audit objects in days, or null without Object Lock. */
  readonly auditLockDays: number | null;
  /** The names of the SSM parameters read live on every invocation. */
  readonly parameters: {
    readonly thresholdDays: string;
    readonly remediationMode: string;
    readonly deactivateAccessKeys: string | null;
  };
}

/** The steps that re-check and act on users also read the exemption lists. */
export interface DisableEnvironment extends RemediationEnvironment {
  readonly rules: ExemptionRules;
}

/** The values of those parameters, read just now. */
export interface LiveSettings {
  readonly thresholdDays: number;
  readonly mode: RemediationMode;
  readonly deactivateAccessKeys: boolean;
}

/**
 * Caps, floor, exemptions and the names of the live settings from the environment, through the
 * settings table's parsers: a malformed exemption list (`svc;ops`, a name IAM would refuse) is an
 * InvalidConfigError here, before anything is read, so the run acts on nothing and fails into the
 * operators' alert.
 */
export function readDisableEnvironment(env: NodeJS.ProcessEnv): DisableEnvironment {
  return { ...readRemediationEnvironment(env), rules: exemptionsFromEnvironment(env) };
}

/** Caps, floor, the audit trail's lock and the names of the live settings (no exemption lists). */
export function readRemediationEnvironment(env: NodeJS.ProcessEnv): RemediationEnvironment {
  const reportBucket = env.REPORT_BUCKET?.trim();
  if (!reportBucket) throw new InvalidConfigError('REPORT_BUCKET is not set');
  const accessKeyDeactivation = fromEnvironment(env, SETTINGS.accessKeyDeactivation);
  return {
    reportBucket,
    maxActions: fromEnvironment(env, SETTINGS.maxActionsPerRun),
    maxPercent: fromEnvironment(env, SETTINGS.maxPercent),
    minEnforceDays: fromEnvironment(env, SETTINGS.minEnforceDays),
    accessKeyDeactivation,
    auditLockDays: fromEnvironment(env, SETTINGS.auditObjectLock)
      ? fromEnvironment(env, SETTINGS.auditRetentionDays)
      : null,
    parameters: {
      thresholdDays: parameterName(env, 'thresholdDays'),
      remediationMode: parameterName(env, 'remediationMode'),
      deactivateAccessKeys: accessKeyDeactivation ? parameterName(env, 'deactivateAccessKeys') : null,
    },
  };
}

function parameterName(env: NodeJS.ProcessEnv, key: SettingKey): string {
  const name = ssmParameterNameIn(env, key)?.trim();
  if (!name) throw new InvalidConfigError(`no SSM parameter name configured for ${key}`);
  return name;
}

/** The live values, parsed: a typo in `enforce` is an error, never a guess. */
export function readLiveSettings(
  values: ReadonlyMap<string, string>,
  names: RemediationEnvironment['parameters'],
): LiveSettings {
  const label = (what: string, name: string) => `${what} (SSM parameter ${name})`;
  return {
    thresholdDays: SETTINGS.thresholdDays.parse(
      values.get(names.thresholdDays),
      label('threshold days', names.thresholdDays),
    ),
    mode: SETTINGS.remediationMode.parse(
      values.get(names.remediationMode),
      label('remediation mode', names.remediationMode),
    ),
    deactivateAccessKeys:
      names.deactivateAccessKeys !== null &&
      SETTINGS.deactivateAccessKeys.parse(
        values.get(names.deactivateAccessKeys),
        label('deactivate access keys', names.deactivateAccessKeys),
      ),
  };
}

/** What the planner is given: the service always removes stale passwords; keys only with the live switch on. */
export function plannerSettings(env: RemediationEnvironment, live: LiveSettings): RemediationSettings {
  return {
    mode: live.mode,
    deletePasswords: true,
    deactivateAccessKeys: live.deactivateAccessKeys,
    maxActions: env.maxActions,
    maxPercent: env.maxPercent,
    minEnforceDays: env.minEnforceDays,
  };
}

/** The live settings, read from SSM just now (no cache) and parsed. */
export async function fetchLiveSettings(
  parameters: SsmLiveParameters,
  names: RemediationEnvironment['parameters'],
): Promise<LiveSettings> {
  return readLiveSettings(await parameters.read(liveParameterNames(names)), names);
}

/** The names to read, at most three. */
export function liveParameterNames(names: RemediationEnvironment['parameters']): string[] {
  return [
    names.thresholdDays,
    names.remediationMode,
    ...(names.deactivateAccessKeys ? [names.deactivateAccessKeys] : []),
  ];
}
