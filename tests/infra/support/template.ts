/**
 * Reading the compiled CloudFormation template: typed access to the parts the infra tests check,
 * IAM grants rendered as plain strings, and the state machine definition resolved to JSON.
 */

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

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
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
}

export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly OutputPath?: string;
  readonly ResultPath?: string | null;
  readonly TimeoutSeconds?: number;
  readonly Retry?: Array<Record<string, unknown>>;
  readonly Catch?: Array<{ ErrorEquals: string[]; ResultPath?: string; Next: string }>;
  readonly Next?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
}

export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
}

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
 * An intrinsic value as one readable string, in `Fn::Sub` notation:
 * `{ Ref: 'X' }` -> `${X}`, `{ 'Fn::GetAtt': ['X', 'Arn'] }` -> `${X.Arn}`, a `Fn::Sub` string as it is,
 * a `Fn::Join` as its rendered parts joined.
 */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (typeof object.Ref === 'string') return `\${${object.Ref}}`;
    const getAtt = object['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `\${${getAtt.join('.')}}`;
    const join = object['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return (join[1] as unknown[]).map(render).join(join[0]);
    }
    const sub = object['Fn::Sub'];
    if (typeof sub === 'string') return sub;
    if (Array.isArray(sub) && typeof sub[0] === 'string') {
      const variables = (sub[1] ?? {}) as Record<string, unknown>;
      return sub[0].replace(/\$\{([^}]+)\}/g, (whole, name: string) =>
        name in variables ? render(variables[name]) : whole,
      );
    }
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
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

/**
 * The state machine's definition as JSON. The plugin writes it as `Fn::Sub` with the intrinsic
 * values pulled out into variables; each `${...}` is replaced by its rendered form (`GetAtt:X.Arn`,
 * `Ref:X`, pseudo parameters as `Ref:AWS::Region`) before parsing.
 */
export function stateMachineDefinition(template: CfnTemplate, logicalId: string): AslDefinition {
  const definition = properties<{ DefinitionString: unknown }>(template, logicalId).DefinitionString;
  let text: string;
  let variables: Record<string, unknown> = {};
  if (typeof definition === 'string') {
    text = definition;
  } else {
    const sub = (definition as Record<string, unknown> | null)?.['Fn::Sub'];
    if (typeof sub === 'string') {
      text = sub;
    } else if (Array.isArray(sub) && typeof sub[0] === 'string') {
      text = sub[0];
      variables = (sub[1] ?? {}) as Record<string, unknown>;
    } else {
      throw new Error(`unexpected DefinitionString ${JSON.stringify(definition)}`);
    }
  }
  const resolved = text.replace(/\$\{([^}]+)\}/g, (_whole, name: string) => {
    if (!(name in variables)) return `Ref:${name}`;
    const value = variables[name] as Record<string, unknown>;
    if (typeof value.Ref === 'string') return `Ref:${value.Ref}`;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `GetAtt:${getAtt.join('.')}`;
    throw new Error(`unexpected definition variable ${name}: ${JSON.stringify(value)}`);
  });
  return JSON.parse(resolved) as AslDefinition;
}

export function state(definition: AslDefinition, name: string): AslState {
  const found = definition.States[name];
  if (!found) throw new Error(`no state ${name}; states are ${Object.keys(definition.States).join(', ')}`);
  return found;
}
