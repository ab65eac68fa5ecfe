import { SETTINGS, fromEnvironment } from '../../settings/table';
import { readDisableEnvironment, type DisableEnvironment } from '../shared/remediation-config';

export interface DisableMemberEnvironment extends DisableEnvironment {
  /** The member remediation role assumed in each account (never the read-only member role). */
  readonly memberRemediationRoleName: string;
}

/** What every disable step reads, and the member remediation role's name. */
export function readDisableMemberEnvironment(env: NodeJS.ProcessEnv): DisableMemberEnvironment {
  return {
    ...readDisableEnvironment(env),
    memberRemediationRoleName: fromEnvironment(env, SETTINGS.memberRemediationRoleName),
  };
}
