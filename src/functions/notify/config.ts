import { NOTIFY_LANGUAGES, type NotifyLanguage } from '../../domain/notification/text';
import { parseBoolean, parseChoice, parseWholeNumber } from '../../lib/config';
import { InvalidConfigError } from '../../lib/errors';

export interface NotifyConfig {
  readonly topicArn: string;
  readonly language: NotifyLanguage;
  readonly notifyWhenClean: boolean;
  /** Users this close to the threshold are warned in the email (with the disable step deployed). */
  readonly warningDays: number;
}

export function readNotifyConfig(env: NodeJS.ProcessEnv): NotifyConfig {
  const topicArn = env.TOPIC_ARN?.trim();
  if (!topicArn) throw new InvalidConfigError('TOPIC_ARN is not set');
  return {
    topicArn,
    language: parseChoice('NOTIFY_LANGUAGE', env.NOTIFY_LANGUAGE ?? 'en', NOTIFY_LANGUAGES),
    notifyWhenClean: parseBoolean('NOTIFY_WHEN_CLEAN', env.NOTIFY_WHEN_CLEAN ?? 'false'),
    warningDays: parseWholeNumber('WARNING_DAYS', env.WARNING_DAYS ?? '7', 0, 365),
  };
}
