/**
 * Reading the compiled CloudFormation template for the infra tests: IAM grants rendered as plain
 * strings, conditions, states by name. Resources, references and the state machine definition are
 * read with tools/template.ts, which the local run shares.
 */

import type { AslDefinition, AslState } from '../../../tools/state-machine/asl';
import { properties, render, type CfnTemplate } from '../../../tools/template';

export {
  lambdaFunction,
  logicalIdsOfType,
  properties,
  render,
  resource,
  stateMachineDefinition,
  type CfnResource,
  type CfnTemplate,
  type LambdaFunction,
} from '../../../tools/template';
export type { AslDefinition, AslState } from '../../../tools/state-machine/asl';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** All statements of a role's inline policies. */
export function roleStatements(template: CfnTemplate, roleId: string): PolicyStatement[] {
  const role = properties<{ Policies?: Array<{ PolicyDocument: { Statement: PolicyStatement[] } }> }>(
    template,
    roleId,
  );
  return (role.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
}

/** Every identity-policy statement in the template, with the logical id it belongs to. */
export function allPolicyStatements(
  template: CfnTemplate,
): Array<{ owner: string; statement: PolicyStatement }> {
  const found: Array<{ owner: string; statement: PolicyStatement }> = [];
  for (const [id, value] of Object.entries(template.Resources)) {
    if (value.Type === 'AWS::IAM::Role') {
      for (const statement of roleStatements(template, id)) found.push({ owner: id, statement });
    }
    if (value.Type === 'AWS::IAM::Policy' || value.Type === 'AWS::IAM::ManagedPolicy') {
      const document = (value.Properties?.PolicyDocument ?? { Statement: [] }) as {
        Statement: PolicyStatement | PolicyStatement[];
      };
      for (const statement of asArray(document.Statement)) found.push({ owner: id, statement });
    }
  }
  return found;
}

export function actionsOf(statement: PolicyStatement): string[] {
  return asArray(statement.Action);
}

export function resourcesOf(statement: PolicyStatement): string[] {
  return asArray(statement.Resource as unknown).map(render);
}

/**
 * What a role is allowed to do: each allowed action with the sorted resources it is allowed on.
 * Deny statements are left out (they only take away).
 */
export function grants(template: CfnTemplate, roleId: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const statement of roleStatements(template, roleId)) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of actionsOf(statement)) {
      result[action] = [...(result[action] ?? []), ...resourcesOf(statement)].sort();
    }
  }
  return result;
}

export function allowedActions(template: CfnTemplate, roleId: string): string[] {
  return Object.keys(grants(template, roleId)).sort();
}

/** IAM action matching: `iam:*` and `iam:Delete*` match `iam:DeleteLoginProfile`; case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`, 'i').test(action);
}

/** Evaluates the `Fn::Not` / `Fn::Equals` conditions this template uses, on literal values. */
export function conditionHolds(template: CfnTemplate, name: string): boolean {
  const evaluate = (expression: unknown): boolean => {
    const object = expression as Record<string, unknown>;
    const not = object['Fn::Not'];
    if (Array.isArray(not)) return !evaluate(not[0]);
    const equals = object['Fn::Equals'];
    if (Array.isArray(equals) && equals.every((item) => typeof item === 'string')) {
      return equals[0] === equals[1];
    }
    throw new Error(`cannot evaluate condition ${JSON.stringify(expression)}`);
  };
  const condition = template.Conditions?.[name];
  if (condition === undefined) throw new Error(`no condition ${name} in the template`);
  return evaluate(condition);
}

export function state(definition: AslDefinition, name: string): AslState {
  const found = definition.States[name];
  if (!found) throw new Error(`no state ${name}; states are ${Object.keys(definition.States).join(', ')}`);
  return found;
}
