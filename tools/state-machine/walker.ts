import { randomUUID } from 'node:crypto';
import type { AslCatcher, AslDefinition, AslRetrier, AslState } from './asl';
import { evaluateChoiceRule } from './choice';
import { runDistributedMap } from './distributed-map';
import { NOT_MATCHED_BY_STATES_ALL, StatesError, UnsupportedAslError } from './errors';
import { applyResultPath, evaluateTemplate, readPath, type DataScope, type Json } from './json-path';
import { checkPayloadSize } from './payload-limit';
import { checkDefinition, LAMBDA_INVOKE, SNS_PUBLISH } from './validate';

/**
 * A small Step Functions interpreter for the definition the compiled template holds: it walks the
 * states one by one with the real data flow (InputPath -> Parameters -> task -> ResultSelector ->
 * ResultPath -> OutputPath), Retry (without waiting), Catch, Choice, Pass, Succeed, Fail, the `$$`
 * context object, and distributed Maps (see distributed-map.ts). The AWS calls go through
 * `Integrations`, so the same walk runs against real bundles and a local endpoint
 * (tools/local-run) or against plain functions in a unit test. Anything else in a definition is
 * refused before the first state runs (validate.ts).
 */

/** The Lambda Invoke API's answer: the function's return value, or its error (`functionError` set). */
export interface LambdaInvocation {
  readonly payload: Json;
  /** `Unhandled` when the function threw; `payload` is then `{ errorType, errorMessage, trace }`. */
  readonly functionError?: string;
  /** What Lambda's REPORT line would say (a local run measures it); not part of the Invoke API's answer. */
  readonly report?: { readonly durationMs: number; readonly maxRssKib: number };
}

export interface SnsMessage {
  readonly TopicArn: string;
  readonly Message: string;
  readonly Subject?: string;
}

/** The AWS calls a definition makes. A thrown StatesError keeps its name; any other error is the task's error by its `name`. */
export interface Integrations {
  invokeLambda(functionName: string, payload: Json): Promise<LambdaInvocation>;
  publishSns(message: SnsMessage): Promise<{ MessageId: string | null }>;
  getS3Object(bucket: string, key: string): Promise<string>;
  putS3Object(bucket: string, key: string, body: string): Promise<void>;
}

export type WalkEvent =
  | { type: 'ExecutionStarted'; executionArn: string; parentArn?: string; input: Json }
  | { type: 'ExecutionSucceeded'; executionArn: string; output: Json }
  | { type: 'ExecutionFailed'; executionArn: string; error: string; cause: string }
  | { type: 'StateEntered'; executionArn: string; state: string }
  | { type: 'TaskSucceeded'; executionArn: string; state: string; resource: string; result: Json }
  | {
      type: 'TaskFailed';
      executionArn: string;
      state: string;
      resource: string;
      error: string;
      cause: string;
    }
  | {
      type: 'StateRetried';
      executionArn: string;
      state: string;
      error: string;
      attempt: number;
      delaySeconds: number;
    }
  | { type: 'ErrorCaught'; executionArn: string; state: string; error: string; next: string }
  | { type: 'MapRunStarted'; executionArn: string; state: string; mapRunArn: string; items: number }
  | {
      type: 'MapRunSucceeded';
      executionArn: string;
      state: string;
      mapRunArn: string;
      succeeded: number;
      failed: number;
    }
  | {
      type: 'MapRunFailed';
      executionArn: string;
      state: string;
      mapRunArn: string;
      succeeded: number;
      failed: number;
    };

export interface ExecutionOptions {
  readonly definition: AslDefinition;
  readonly input: Json;
  readonly integrations: Integrations;
  /** `arn:aws:states:<region>:<account>:stateMachine:<name>`. */
  readonly stateMachineArn: string;
  /** The execution's name (default: a UUID). */
  readonly name?: string;
  readonly onEvent?: (event: WalkEvent) => void;
  readonly payloadLimitBytes?: number;
  readonly now?: () => Date;
}

export interface ExecutionResult {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: Json;
  readonly startDate: Date;
  readonly stopDate: Date;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
}

/** What every state of one execution shares. */
export interface ExecutionScope {
  readonly options: ExecutionOptions;
  readonly executionArn: string;
  /** `$$` without `State` (set per state) and `Map` (set while an ItemSelector is evaluated). */
  readonly context: { [key: string]: Json };
  readonly emit: (event: WalkEvent) => void;
  readonly now: () => Date;
}

/** `arn:...:stateMachine:sm` -> `arn:...:execution:sm:<name>` (a Map child: `...:execution:sm/Label:<name>`). */
export function executionArnOf(stateMachineArn: string, name: string): string {
  if (!stateMachineArn.includes(':stateMachine:'))
    throw new Error(`not a state machine ARN: ${stateMachineArn}`);
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Checks the whole definition, then runs one execution to its end. */
export async function startExecution(options: ExecutionOptions): Promise<ExecutionResult> {
  checkDefinition(options.definition);
  return runExecution(options, undefined);
}

/** Runs an execution whose definition was checked already (a Map's children share their parent's check). */
export async function runExecution(
  options: ExecutionOptions,
  parentArn: string | undefined,
): Promise<ExecutionResult> {
  const now = options.now ?? (() => new Date());
  const name = options.name ?? randomUUID();
  const executionArn = executionArnOf(options.stateMachineArn, name);
  const startDate = now();
  const emit = options.onEvent ?? (() => undefined);
  const stateMachineName = options.stateMachineArn.split(':stateMachine:')[1] ?? '';
  const scope: ExecutionScope = {
    options,
    executionArn,
    emit,
    now,
    context: {
      Execution: { Id: executionArn, Name: name, StartTime: startDate.toISOString(), Input: options.input },
      StateMachine: { Id: options.stateMachineArn, Name: stateMachineName },
    },
  };
  emit({ type: 'ExecutionStarted', executionArn, ...(parentArn ? { parentArn } : {}), input: options.input });
  const finish = (outcome: { output: Json } | { error: string; cause: string }): ExecutionResult => {
    const base = {
      executionArn,
      stateMachineArn: options.stateMachineArn,
      name,
      input: options.input,
      startDate,
      stopDate: now(),
    };
    if ('output' in outcome) {
      emit({ type: 'ExecutionSucceeded', executionArn, output: outcome.output });
      return { ...base, status: 'SUCCEEDED', output: outcome.output };
    }
    emit({ type: 'ExecutionFailed', executionArn, ...outcome });
    return { ...base, status: 'FAILED', ...outcome };
  };
  try {
    return finish({ output: await walkStates(options.definition, options.input, scope) });
  } catch (error) {
    if (error instanceof StatesError) return finish({ error: error.error, cause: error.causeText });
    throw error;
  }
}

/** Walks from StartAt to a Succeed, a Fail or an End; returns the last output, throws the failure. */
async function walkStates(definition: AslDefinition, input: Json, scope: ExecutionScope): Promise<Json> {
  let name = definition.StartAt;
  let data = input;
  for (;;) {
    const state = definition.States[name];
    if (!state) throw new UnsupportedAslError(`the definition has no state ${name}`);
    scope.emit({ type: 'StateEntered', executionArn: scope.executionArn, state: name });
    const stateContext = { Name: name, EnteredTime: scope.now().toISOString(), RetryCount: 0 };
    const step = await runState(name, state, data, scope, stateContext);
    if (step.kind === 'fail') throw new StatesError(step.error, step.cause);
    checkPayloadSize(step.output, `The state '${name}' returned an output`, scope.options.payloadLimitBytes);
    if (step.next === undefined) return step.output;
    data = step.output;
    name = step.next;
  }
}

type Step =
  { kind: 'next'; output: Json; next: string | undefined } | { kind: 'fail'; error: string; cause: string };

interface StateContext {
  Name: string;
  EnteredTime: string;
  RetryCount: number;
}

function scopeOf(data: Json, scope: ExecutionScope, stateContext: StateContext): DataScope {
  return { data, context: { ...scope.context, State: { ...stateContext } } };
}

/** InputPath: `$` by default, `null` is `{}`; a path that is not there is States.Runtime. */
function effectiveInput(state: AslState, input: Json, dataScope: DataScope): Json {
  if (state.InputPath === null) return {};
  if (state.InputPath === undefined) return input;
  return readPath(state.InputPath, { ...dataScope, data: input });
}

function selectOutput(state: AslState, output: Json, dataScope: DataScope): Json {
  if (state.OutputPath === null) return {};
  if (state.OutputPath === undefined) return output;
  return readPath(state.OutputPath, { ...dataScope, data: output });
}

function nextOf(state: AslState): string | undefined {
  return state.End === true ? undefined : state.Next;
}

async function runState(
  name: string,
  state: AslState,
  input: Json,
  scope: ExecutionScope,
  stateContext: StateContext,
): Promise<Step> {
  const dataScope = scopeOf(input, scope, stateContext);
  switch (state.Type) {
    case 'Succeed':
      return {
        kind: 'next',
        output: selectOutput(state, effectiveInput(state, input, dataScope), dataScope),
        next: undefined,
      };
    case 'Fail':
      return {
        kind: 'fail',
        error:
          state.ErrorPath !== undefined ? String(readPath(state.ErrorPath, dataScope)) : (state.Error ?? ''),
        cause:
          state.CausePath !== undefined ? String(readPath(state.CausePath, dataScope)) : (state.Cause ?? ''),
      };
    case 'Choice': {
      const effective = effectiveInput(state, input, dataScope);
      const rule = (state.Choices ?? []).find((r) =>
        evaluateChoiceRule(r, { ...dataScope, data: effective }),
      );
      const next = rule ? String(rule.Next) : state.Default;
      if (next === undefined) {
        throw new StatesError(
          'States.NoChoiceMatched',
          `No Choice rule matched the input of ${name} and there is no Default`,
        );
      }
      return { kind: 'next', output: selectOutput(state, effective, dataScope), next };
    }
    case 'Pass': {
      const effective = effectiveInput(state, input, dataScope);
      const result =
        state.Result !== undefined
          ? (state.Result as Json)
          : state.Parameters !== undefined
            ? evaluateTemplate(state.Parameters, { ...dataScope, data: effective })
            : effective;
      const placed = applyResultPath(input, state.ResultPath, result);
      return { kind: 'next', output: selectOutput(state, placed, dataScope), next: nextOf(state) };
    }
    case 'Task':
    case 'Map':
      return runWithErrorHandling(name, state, input, scope, stateContext);
    default:
      throw new UnsupportedAslError(`the walker does not implement states of Type ${state.Type}`);
  }
}

/** `ErrorEquals` matching: the name itself, States.ALL (not Runtime/DataLimitExceeded), States.TaskFailed (not Timeout). */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  return errorEquals.some(
    (name) =>
      name === error ||
      (name === 'States.ALL' && !NOT_MATCHED_BY_STATES_ALL.includes(error)) ||
      (name === 'States.TaskFailed' &&
        error !== 'States.Timeout' &&
        !NOT_MATCHED_BY_STATES_ALL.includes(error)),
  );
}

/** Retry (the first matching retrier decides; waits are skipped but counted), then Catch. */
async function runWithErrorHandling(
  name: string,
  state: AslState,
  input: Json,
  scope: ExecutionScope,
  stateContext: StateContext,
): Promise<Step> {
  const attempts = new Map<AslRetrier, number>();
  for (;;) {
    try {
      const output =
        state.Type === 'Map'
          ? await runMapState(name, state, input, scope, stateContext)
          : await runTaskState(name, state, input, scope, stateContext);
      return { kind: 'next', output, next: nextOf(state) };
    } catch (error) {
      if (!(error instanceof StatesError)) throw error;
      const retrier = (state.Retry ?? []).find((r) => errorMatches(r.ErrorEquals, error.error));
      if (retrier) {
        const done = attempts.get(retrier) ?? 0;
        if (done < (retrier.MaxAttempts ?? 3)) {
          attempts.set(retrier, done + 1);
          stateContext.RetryCount++;
          const delay = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** done;
          scope.emit({
            type: 'StateRetried',
            executionArn: scope.executionArn,
            state: name,
            error: error.error,
            attempt: done + 1,
            delaySeconds: Math.min(delay, retrier.MaxDelaySeconds ?? Infinity),
          });
          continue;
        }
      }
      const catcher: AslCatcher | undefined = (state.Catch ?? []).find((c) =>
        errorMatches(c.ErrorEquals, error.error),
      );
      if (!catcher) throw error;
      scope.emit({
        type: 'ErrorCaught',
        executionArn: scope.executionArn,
        state: name,
        error: error.error,
        next: catcher.Next,
      });
      const errorOutput = { Error: error.error, Cause: error.causeText };
      return {
        kind: 'next',
        output: applyResultPath(input, catcher.ResultPath, errorOutput),
        next: catcher.Next,
      };
    }
  }
}

/** ResultSelector -> ResultPath (into the raw input) -> OutputPath, shared by Task and Map. */
function placeResult(state: AslState, input: Json, result: Json, dataScope: DataScope): Json {
  const selected =
    state.ResultSelector !== undefined
      ? evaluateTemplate(state.ResultSelector, { ...dataScope, data: result })
      : result;
  return selectOutput(state, applyResultPath(input, state.ResultPath, selected), dataScope);
}

async function runTaskState(
  name: string,
  state: AslState,
  input: Json,
  scope: ExecutionScope,
  stateContext: StateContext,
): Promise<Json> {
  const dataScope = scopeOf(input, scope, stateContext);
  const effective = effectiveInput(state, input, dataScope);
  const parameters =
    state.Parameters !== undefined
      ? evaluateTemplate(state.Parameters, { ...dataScope, data: effective })
      : effective;
  checkPayloadSize(parameters, `The input of the state '${name}'`, scope.options.payloadLimitBytes);
  const resource = String(state.Resource);
  let result: Json;
  try {
    result = await withTimeout(callResource(resource, parameters, scope), state.TimeoutSeconds, name);
  } catch (error) {
    const failure = asStatesError(error);
    scope.emit({
      type: 'TaskFailed',
      executionArn: scope.executionArn,
      state: name,
      resource,
      error: failure.error,
      cause: failure.causeText,
    });
    throw failure;
  }
  checkPayloadSize(result, `The task '${name}' returned a result`, scope.options.payloadLimitBytes);
  scope.emit({ type: 'TaskSucceeded', executionArn: scope.executionArn, state: name, resource, result });
  return placeResult(state, input, result, dataScope);
}

async function runMapState(
  name: string,
  state: AslState,
  input: Json,
  scope: ExecutionScope,
  stateContext: StateContext,
): Promise<Json> {
  const dataScope = scopeOf(input, scope, stateContext);
  const effective = effectiveInput(state, input, dataScope);
  const result = await runDistributedMap({
    name,
    state,
    input: effective,
    dataScope,
    scope,
    runChild: runExecution,
  });
  return placeResult(state, input, result, dataScope);
}

function parametersObject(parameters: Json, resource: string): Record<string, Json> {
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new StatesError('States.Runtime', `the Parameters of ${resource} must be an object`);
  }
  return parameters;
}

async function callResource(resource: string, parameters: Json, scope: ExecutionScope): Promise<Json> {
  const params = parametersObject(parameters, resource);
  const { integrations } = scope.options;
  if (resource === LAMBDA_INVOKE) {
    const functionName = params.FunctionName;
    if (typeof functionName !== 'string')
      throw new StatesError('States.Runtime', 'lambda:invoke needs a FunctionName');
    const invocation = await integrations.invokeLambda(functionName, params.Payload ?? {});
    if (invocation.functionError) {
      const payload = invocation.payload as { errorType?: unknown } | null;
      const errorType = typeof payload?.errorType === 'string' ? payload.errorType : 'Lambda.Unknown';
      throw new StatesError(errorType, JSON.stringify(invocation.payload));
    }
    // The Invoke API's envelope, without the SDK's HTTP metadata.
    return { ExecutedVersion: '$LATEST', Payload: invocation.payload, StatusCode: 200 };
  }
  if (resource === SNS_PUBLISH) {
    const { TopicArn, Message, Subject } = params;
    if (typeof TopicArn !== 'string' || typeof Message !== 'string') {
      throw new StatesError('States.Runtime', 'sns:publish needs a TopicArn and a Message string');
    }
    const sent = await integrations.publishSns({
      TopicArn,
      Message,
      ...(typeof Subject === 'string' ? { Subject } : {}),
    });
    return { MessageId: sent.MessageId };
  }
  throw new UnsupportedAslError(`the walker does not implement the resource ${resource}`);
}

function asStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  if (error instanceof UnsupportedAslError) throw error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new StatesError(name, message);
}

/** TimeoutSeconds: the task fails with States.Timeout; whatever it was doing is left behind. */
async function withTimeout<T>(work: Promise<T>, seconds: number | undefined, name: string): Promise<T> {
  if (seconds === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new StatesError('States.Timeout', `The task ${name} ran longer than ${seconds} seconds`)),
      seconds * 1000,
    );
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
