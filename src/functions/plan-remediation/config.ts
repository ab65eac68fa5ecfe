import { SETTINGS, fromEnvironment } from '../../settings/table';
import { readRemediationEnvironment, type RemediationEnvironment } from '../shared/remediation-config';

export interface PlanRemediationEnvironment extends RemediationEnvironment {
  /** A run whose accounts' plans add up to more actions than this is refused whole. */
  readonly maxActionsPerOrganization: number;
}

/** The same caps, floor and live settings as every disable step, and the organisation's cap. */
export function readPlanRemediationEnvironment(env: NodeJS.ProcessEnv): PlanRemediationEnvironment {
  return {
    ...readRemediationEnvironment(env),
    maxActionsPerOrganization: fromEnvironment(env, SETTINGS.maxActionsPerOrganization),
  };
}
