import { exemptionRules, type ExemptionRules } from '../../domain/verdict/exemptions';
import { SETTINGS, fromEnvironment } from '../../settings/table';

/** The exemption lists, as every function that judges users reads them from its environment. */
export function exemptionsFromEnvironment(env: NodeJS.ProcessEnv): ExemptionRules {
  return exemptionRules({
    userNames: fromEnvironment(env, SETTINGS.exemptUserNames),
    pathPrefixes: fromEnvironment(env, SETTINGS.exemptPathPrefixes),
    groupNames: fromEnvironment(env, SETTINGS.exemptGroupNames),
  });
}
