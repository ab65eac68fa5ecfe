import type { NotifyLanguage } from '../../domain/notification/text';
import { SETTINGS, fromEnvironment } from '../../settings/table';
import { resourceName } from '../shared/environment';

export interface NotifyOrganizationConfig {
  readonly topicArn: string;
  /** The stack's report bucket: the only one the summary is read from. */
  readonly reportBucket: string;
  readonly language: NotifyLanguage;
  readonly notifyWhenClean: boolean;
  /** Named in the advice for accounts whose member role could not be assumed. */
  readonly memberRoleName: string;
  /** Named in the advice for accounts whose member remediation role could not be assumed. */
  readonly memberRemediationRoleName: string;
}

export function readNotifyOrganizationConfig(env: NodeJS.ProcessEnv): NotifyOrganizationConfig {
  return {
    topicArn: resourceName(env, 'TOPIC_ARN'),
    reportBucket: resourceName(env, 'REPORT_BUCKET'),
    language: fromEnvironment(env, SETTINGS.notifyLanguage),
    notifyWhenClean: fromEnvironment(env, SETTINGS.notifyWhenClean),
    memberRoleName: fromEnvironment(env, SETTINGS.memberRoleName),
    memberRemediationRoleName: fromEnvironment(env, SETTINGS.memberRemediationRoleName),
  };
}
