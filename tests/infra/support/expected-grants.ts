import { actionsOf, allPolicyStatements, resourcesOf, type CfnTemplate } from './template';

/** ARNs as the template writes them for the `test` stage that tests/infra packages. */
export const IAM_USERS = 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*';
export const parameterArn = (name: string) =>
  `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/stale-iam/test/${name}`;
export const logsOf = (fn: string) =>
  `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/stale-iam-test-${fn}:*`;

/** The IAM actions scan (credential-report source) needs that have no resource type: only `*` names them. */
export const STAR_ONLY_ACTIONS = [
  'iam:GenerateCredentialReport',
  'iam:GetAccountAuthorizationDetails',
  'iam:GetCredentialReport',
];

/**
 * What a least-privilege template must not have, statement by statement: a wildcard in an action,
 * or an Allow on Resource `*` for anything but the actions IAM gives no resource type. Empty when clean.
 * `starOnlyActions` is the scan's statement on `*`; `otherStarStatements` lists any other statement
 * a template may have on `*`, each exactly (the disable role's iam:GetAccountSummary).
 */
export function broadGrants(
  template: CfnTemplate,
  starOnlyActions: readonly string[] = STAR_ONLY_ACTIONS,
  otherStarStatements: readonly (readonly string[])[] = [],
): Array<{ owner: string; wildcardAction?: string; onEveryResource?: string[] }> {
  const allowed = [starOnlyActions, ...otherStarStatements].map((actions) => [...actions].sort().join());
  const found: Array<{ owner: string; wildcardAction?: string; onEveryResource?: string[] }> = [];
  for (const { owner, statement } of allPolicyStatements(template)) {
    for (const action of actionsOf(statement)) {
      if (action.includes('*')) found.push({ owner, wildcardAction: action });
    }
    if (statement.Effect === 'Allow' && resourcesOf(statement).includes('*')) {
      const actions = [...actionsOf(statement)].sort();
      if (!allowed.includes(actions.join())) found.push({ owner, onEveryResource: actions });
    }
  }
  return found;
}
