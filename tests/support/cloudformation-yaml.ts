import { readFileSync } from 'node:fs';
import { parse, type Tags, type YAMLSeq } from 'yaml';

/**
 * The CloudFormation templates shipped in the repository (member-role/*.yml), read with their short
 * tags (`!Ref`, `!If`, ...) as the long forms CloudFormation reads them (`{ Ref }`, `{ 'Fn::If' }`),
 * and evaluated for a set of parameter values: what a stack instance of them would contain. Only
 * the intrinsics these templates use are known; anything else is refused by name.
 */

export type CfnValue = unknown;

export interface CfnYamlTemplate {
  readonly Parameters: Record<
    string,
    { Type: string; Default?: string; AllowedValues?: string[]; AllowedPattern?: string }
  >;
  readonly Conditions?: Record<string, CfnValue>;
  readonly Resources: Record<string, { Type: string; Properties: Record<string, CfnValue> }>;
  readonly Outputs?: Record<string, { Value: CfnValue }>;
}

const INTRINSICS: Record<string, string> = {
  Ref: 'Ref',
  Sub: 'Fn::Sub',
  GetAtt: 'Fn::GetAtt',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  Join: 'Fn::Join',
  Split: 'Fn::Split',
};

const CUSTOM_TAGS: Tags = Object.entries(INTRINSICS).flatMap(([tag, key]) => [
  { tag: `!${tag}`, resolve: (value: string) => ({ [key]: tag === 'GetAtt' ? value.split('.') : value }) },
  { tag: `!${tag}`, collection: 'seq' as const, resolve: (seq: YAMLSeq) => ({ [key]: seq.toJSON() }) },
]);

export function loadTemplate(file: string): CfnYamlTemplate {
  return parse(readFileSync(file, 'utf8'), { customTags: CUSTOM_TAGS }) as CfnYamlTemplate;
}

const NO_VALUE = Symbol('AWS::NoValue');

export interface Deployment {
  /** Parameter values; the template's defaults fill in the rest. */
  readonly parameters: Record<string, string>;
  readonly accountId: string;
  readonly partition?: string;
  /** The Region of the stack instance (default us-east-1). */
  readonly region?: string;
}

/** A resource's properties as a stack instance would hold them, for these parameter values. */
export function evaluated(
  template: CfnYamlTemplate,
  logicalId: string,
  deployment: Deployment,
): Record<string, unknown> {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId}`);
  return evaluate(resource.Properties, template, deployment) as Record<string, unknown>;
}

function parameterValue(template: CfnYamlTemplate, name: string, deployment: Deployment): unknown {
  const pseudo: Record<string, string> = {
    'AWS::Partition': deployment.partition ?? 'aws',
    'AWS::AccountId': deployment.accountId,
    'AWS::Region': deployment.region ?? 'us-east-1',
  };
  if (name in pseudo) return pseudo[name];
  if (name === 'AWS::NoValue') return NO_VALUE;
  const parameter = template.Parameters[name];
  if (!parameter) throw new Error(`no parameter ${name}`);
  const value = deployment.parameters[name] ?? parameter.Default;
  if (value === undefined) throw new Error(`the parameter ${name} has no value and no default`);
  if (
    parameter.AllowedPattern &&
    // CloudFormation matches the whole value, and each value of a CommaDelimitedList.
    (parameter.Type === 'CommaDelimitedList' ? value.split(',') : [value]).some(
      (v) => !new RegExp(`^(?:${parameter.AllowedPattern})$`).test(v),
    )
  ) {
    throw new Error(`the parameter ${name} does not allow ${JSON.stringify(value)}`);
  }
  if (parameter.AllowedValues && !parameter.AllowedValues.includes(value)) {
    throw new Error(`the parameter ${name} allows only ${parameter.AllowedValues.join(', ')}`);
  }
  return parameter.Type === 'CommaDelimitedList' ? value.split(',') : value;
}

function evaluate(value: CfnValue, template: CfnYamlTemplate, deployment: Deployment): unknown {
  const recur = (v: CfnValue) => evaluate(v, template, deployment);
  if (Array.isArray(value)) return value.map(recur).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, CfnValue>);
  const [key, argument] = entries[0] ?? [];
  if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) {
    return intrinsic(key, argument, template, deployment);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, recur(v)]).filter(([, v]) => v !== NO_VALUE));
}

function intrinsic(
  key: string,
  argument: CfnValue,
  template: CfnYamlTemplate,
  deployment: Deployment,
): unknown {
  const recur = (v: CfnValue) => evaluate(v, template, deployment);
  const list = (v: CfnValue) => (Array.isArray(v) ? v : [v]);
  switch (key) {
    case 'Ref':
      return parameterValue(template, String(argument), deployment);
    case 'Fn::Sub':
      return String(argument).replace(/\$\{([^}]+)\}/g, (_whole, name: string) =>
        String(parameterValue(template, name, deployment)),
      );
    case 'Fn::GetAtt':
      return `\${${list(argument).join('.')}}`;
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = list(argument);
      return conditionHolds(template, String(condition), deployment) ? recur(whenTrue) : recur(whenFalse);
    }
    case 'Fn::Equals': {
      const [a, b] = list(argument).map(recur);
      return a === b;
    }
    case 'Fn::Not':
      return !recur(list(argument)[0]);
    case 'Fn::Join': {
      const [delimiter, items] = list(argument);
      return (recur(items) as unknown[]).join(String(delimiter));
    }
    case 'Fn::Split': {
      const [delimiter, text] = list(argument);
      return String(recur(text)).split(String(delimiter));
    }
    default:
      throw new Error(`the template evaluator does not know ${key}`);
  }
}

export function conditionHolds(template: CfnYamlTemplate, name: string, deployment: Deployment): boolean {
  const condition = template.Conditions?.[name];
  if (condition === undefined) throw new Error(`no condition ${name}`);
  return evaluate(condition, template, deployment) === true;
}
