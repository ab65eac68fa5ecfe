/**
 * Reading the CloudFormation template that `osls package` compiled: typed access to its resources,
 * and the one place where CloudFormation's intrinsic references (`Ref`, `Fn::GetAtt`, `Fn::Sub`) are
 * replaced by values. Who calls decides what a reference stands for (see `substitute`): the infra
 * tests render `Ref:ReportBucket`, the local run the name of a local bucket.
 */

import type { AslDefinition } from './state-machine/asl';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, { readonly Value: unknown; readonly Description?: string }>;
}

export interface LambdaFunction {
  readonly Handler: string;
  readonly Runtime: string;
  readonly Architectures?: string[];
  readonly FunctionName: string;
  readonly Timeout?: number;
  readonly MemorySize?: number;
  readonly Role: unknown;
  readonly Environment?: { readonly Variables: Record<string, unknown> };
  /** Where the deployment would upload the zip: the key ends with the artifact's file name. */
  readonly Code?: { readonly S3Bucket?: unknown; readonly S3Key?: unknown };
}

/**
 * What an intrinsic points at: `{ Ref: 'X' }` and `${X}` are `{ logicalId: 'X' }`;
 * `{ 'Fn::GetAtt': ['X', 'Arn'] }` and `${X.Arn}` are `{ logicalId: 'X', attribute: 'Arn' }`.
 * Pseudo parameters (`AWS::Region`, ...) are references too.
 */
export interface CfnReference {
  readonly logicalId: string;
  readonly attribute?: string;
}

export type ReferenceLookup = (reference: CfnReference) => string;

export function resource(template: CfnTemplate, logicalId: string): CfnResource {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId} in the template`);
  return found;
}

export function properties<T>(template: CfnTemplate, logicalId: string): T {
  return (resource(template, logicalId).Properties ?? {}) as T;
}

export function logicalIdsOfType(template: CfnTemplate, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, value]) => value.Type === type)
    .map(([id]) => id)
    .sort();
}

export function lambdaFunction(template: CfnTemplate, logicalId: string): LambdaFunction {
  return properties<LambdaFunction>(template, logicalId);
}

/**
 * A value of the template with every intrinsic replaced through `lookup`: a plain string as it is,
 * `Ref`, `Fn::GetAtt`, and `Fn::Sub` (a string, or a string with its own variables; `${!x}` is the
 * literal `${x}`). Anything else (another intrinsic, a number where a string is expected) is refused.
 */
export function substitute(value: unknown, lookup: ReferenceLookup): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1 && typeof object.Ref === 'string') return lookup({ logicalId: object.Ref });
    const getAtt = object['Fn::GetAtt'];
    if (keys.length === 1 && Array.isArray(getAtt) && getAtt.length === 2) {
      const [logicalId, attribute] = getAtt as unknown[];
      if (typeof logicalId === 'string' && typeof attribute === 'string')
        return lookup({ logicalId, attribute });
    }
    const join = object['Fn::Join'];
    if (keys.length === 1 && Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return (join[1] as unknown[]).map((part) => substitute(part, lookup)).join(join[0]);
    }
    const sub = object['Fn::Sub'];
    if (keys.length === 1 && typeof sub === 'string') return substituteText(sub, {}, lookup);
    if (keys.length === 1 && Array.isArray(sub) && typeof sub[0] === 'string') {
      return substituteText(sub[0], (sub[1] ?? {}) as Record<string, unknown>, lookup);
    }
  }
  throw new Error(`cannot substitute ${JSON.stringify(value)}`);
}

/** The `${...}` placeholders of a `Fn::Sub` text; `escape` prepares each value for where it lands. */
function substituteText(
  text: string,
  variables: Record<string, unknown>,
  lookup: ReferenceLookup,
  escape: (value: string) => string = (value) => value,
): string {
  return text.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in variables) return escape(substitute(variables[name], lookup));
    const dot = name.indexOf('.');
    const reference =
      dot < 0 ? { logicalId: name } : { logicalId: name.slice(0, dot), attribute: name.slice(dot + 1) };
    return escape(lookup(reference));
  });
}

/**
 * An intrinsic value as one readable string, in `Fn::Sub` notation:
 * `{ Ref: 'X' }` -> `${X}`, `{ 'Fn::GetAtt': ['X', 'Arn'] }` -> `${X.Arn}`, a `Fn::Sub` string as it is,
 * a `Fn::Join` as its parts joined.
 */
export function render(value: unknown): string {
  return substitute(value, ({ logicalId, attribute }) =>
    attribute === undefined ? `\${${logicalId}}` : `\${${logicalId}.${attribute}}`,
  );
}

/** How the infra tests read references in the definition: `Ref:ReportBucket`, `GetAtt:ScanLambdaFunction.Arn`. */
export const renderedReference: ReferenceLookup = ({ logicalId, attribute }) =>
  attribute === undefined ? `Ref:${logicalId}` : `GetAtt:${logicalId}.${attribute}`;

/**
 * The state machine's definition as JSON. serverless-step-functions writes `DefinitionString` as
 * `Fn::Sub` with the intrinsic values pulled out into variables; each `${...}` is replaced through
 * `lookup` (JSON-escaped, since it lands inside the definition's JSON text) before parsing.
 */
export function stateMachineDefinition(
  template: CfnTemplate,
  logicalId: string,
  lookup: ReferenceLookup = renderedReference,
): AslDefinition {
  const definition = properties<{ DefinitionString: unknown }>(template, logicalId).DefinitionString;
  const jsonEscaped = (value: string) => JSON.stringify(value).slice(1, -1);
  let text: string;
  if (typeof definition === 'string') {
    text = definition;
  } else {
    const sub = (definition as Record<string, unknown> | null)?.['Fn::Sub'];
    if (typeof sub === 'string') {
      text = substituteText(sub, {}, lookup, jsonEscaped);
    } else if (Array.isArray(sub) && typeof sub[0] === 'string') {
      text = substituteText(sub[0], (sub[1] ?? {}) as Record<string, unknown>, lookup, jsonEscaped);
    } else {
      throw new Error(`unexpected DefinitionString ${JSON.stringify(definition)}`);
    }
  }
  return JSON.parse(text) as AslDefinition;
}
