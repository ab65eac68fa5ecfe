import type { NotifyLanguage } from '../../domain/notification/text';
import { InvalidConfigError } from '../../lib/errors';
import { SETTINGS, fromEnvironment } from '../../settings/table';

export interface NotifyConfig {
  readonly topicArn: string;
  /** The stack's report bucket: the only one notify reads a report from. */
  readonly reportBucket: string;
  readonly language: NotifyLanguage;
  readonly notifyWhenClean: boolean;
  /** Users this close to the threshold are warned in the email (with the disable step deployed). */
  readonly warningDays: number;
}

export function readNotifyConfig(env: NodeJS.ProcessEnv): NotifyConfig {
  const topicArn = env.TOPIC_ARN?.trim();
  if (!topicArn) throw new InvalidConfigError('TOPIC_ARN is not set');
  const reportBucket = env.REPORT_BUCKET?.trim();
  if (!reportBucket) throw new InvalidConfigError('REPORT_BUCKET is not set');
  return {
    topicArn,
    reportBucket,
    language: fromEnvironment(env, SETTINGS.notifyLanguage),
    notifyWhenClean: fromEnvironment(env, SETTINGS.notifyWhenClean),
    warningDays: fromEnvironment(env, SETTINGS.warningDays),
  };
}
