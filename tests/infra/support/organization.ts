import { stateMachineDefinition } from '../../../tools/template';
import { startExecution, type ExecutionResult } from '../../../tools/state-machine/walker';
import type { InMemoryAws } from '../../tools/state-machine/in-memory-integrations';
import {
  actionsOf,
  allPolicyStatements,
  lambdaFunction,
  resourcesOf,
  state,
  type AslDefinition,
  type CfnTemplate,
} from './template';

/**
 * What the organisation-mode infra tests (organization.test.ts, organization-remediation.test.ts)
 * read the same way: the bucket prefixes and ARNs as the `test` stage's template writes them, a
 * function's runtime shape, the statements on every resource, a Distributed Map's child states, and
 * the compiled definition walked with in-memory functions.
 */

export const RUNS = '${ReportBucket.Arn}/runs/*';
export const MAP_RESULTS = '${ReportBucket.Arn}/runs/map-results/*';
export const REPORTS = '${ReportBucket.Arn}/reports/*';
export const ORG_REPORTS = '${ReportBucket.Arn}/reports/organization/*';
/** A role of this name in any account: what a member role's ARN pattern looks like in a grant. */
export const rolesNamed = (name: string) => `arn:\${AWS::Partition}:iam::*:role/${name}`;
export const STATE_MACHINE =
  'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:stale-iam-test';
export const EXECUTIONS = [
  'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:stale-iam-test/*',
  'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:stale-iam-test:*',
];

/** What a test says about a function: runtime, handler, role, time limit and memory. */
export function functionShape(template: CfnTemplate, id: string) {
  const fn = lambdaFunction(template, id);
  return {
    Runtime: fn.Runtime,
    Handler: fn.Handler,
    Role: fn.Role,
    Timeout: fn.Timeout,
    MemorySize: fn.MemorySize,
  };
}

/** The shape of a function on nodejs22.x running `handler` under `role`: what functionShape should say. */
export function nodeFunction(handler: string, role: string, timeout: number, memory: number) {
  return {
    Runtime: 'nodejs22.x',
    Handler: handler,
    Role: { 'Fn::GetAtt': [role, 'Arn'] },
    Timeout: timeout,
    MemorySize: memory,
  };
}

/** Each Allow on Resource `*` as [owner, its sorted actions]; and every action written with a wildcard. */
export function broadGrantsOf(template: CfnTemplate): {
  onEveryResource: Array<[string, string[]]>;
  wildcardActions: string[];
} {
  const statements = allPolicyStatements(template);
  return {
    onEveryResource: statements
      .filter(({ statement }) => statement.Effect === 'Allow' && resourcesOf(statement).includes('*'))
      .map(({ owner, statement }): [string, string[]] => [owner, actionsOf(statement).sort()]),
    wildcardActions: statements
      .flatMap(({ statement }) => actionsOf(statement))
      .filter((a) => a.includes('*')),
  };
}

/** The child states of a Distributed Map, and the errors its task state retries. */
export function mapChildren(
  definition: AslDefinition,
  mapName: string,
): { StartAt: string; States: Record<string, Record<string, unknown>>; retried: (task: string) => string[] } {
  const children = state(definition, mapName).ItemProcessor as unknown as {
    StartAt: string;
    States: Record<string, Record<string, unknown>>;
  };
  return {
    ...children,
    retried: (task) =>
      ((children.States[task]?.Retry ?? []) as Array<{ ErrorEquals: string[] }>).flatMap(
        (r) => r.ErrorEquals,
      ),
  };
}

/**
 * Runs the template's compiled state machine as execution `scheduled-run-1` with the functions of
 * `aws`, each registered under `arn:<logical id>`; the report bucket is `bucket`.
 */
export function walkOrganisationRun(
  template: CfnTemplate,
  aws: InMemoryAws,
  bucket: string,
): Promise<ExecutionResult> {
  const definition = stateMachineDefinition(template, 'StaleIamStateMachine', ({ logicalId, attribute }) =>
    attribute === 'Arn' ? functionArnOf(logicalId) : logicalId === 'ReportBucket' ? bucket : logicalId,
  );
  return startExecution({
    definition,
    input: {},
    integrations: aws,
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:stale-iam-test',
    name: 'scheduled-run-1',
  });
}

/** The ARN walkOrganisationRun gives a function of the template, by its logical id. */
export const functionArnOf = (logicalId: string) => `arn:${logicalId}`;
