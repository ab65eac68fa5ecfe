import { NOTIFY_LANGUAGES, type NotifyLanguage } from '../../domain/notification-text';
import { parseBoolean, parseChoice } from '../../lib/config';
import { InvalidConfigError } from '../../lib/errors';

export interface NotifyConfig {
  readonly topicArn: string;
  readonly language: NotifyLanguage;
  readonly notifyWhenClean: boolean;
}

export function readNotifyConfig(env: NodeJS.ProcessEnv): NotifyConfig {
  const topicArn = env.TOPIC_ARN?.trim();
  if (!topicArn) throw new InvalidConfigError('TOPIC_ARN is not set');
  return {
    topicArn,
    language: parseChoice('NOTIFY_LANGUAGE', env.NOTIFY_LANGUAGE ?? 'en', NOTIFY_LANGUAGES),
    notifyWhenClean: parseBoolean('NOTIFY_WHEN_CLEAN', env.NOTIFY_WHEN_CLEAN ?? 'false'),
  };
}
