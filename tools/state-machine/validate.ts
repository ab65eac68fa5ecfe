import type { AslDefinition, AslState } from './asl';
import { checkChoiceRule } from './choice';
import { UnsupportedAslError } from './errors';
import { checkTemplate, parsePath } from './json-path';

/**
 * The definition is checked whole before anything runs: every state's type, fields, resources,
 * transitions, paths and intrinsics. What the walker does not implement is refused here, by name,
 * so that a run never half-happens and never silently skips a feature it does not know.
 */

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
export const SNS_PUBLISH = 'arn:aws:states:::sns:publish';
export const S3_GET_OBJECT = 'arn:aws:states:::s3:getObject';
export const S3_PUT_OBJECT = 'arn:aws:states:::s3:putObject';

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FLOW = ['Next', 'End'];
const IO = ['InputPath', 'OutputPath'];
const RESULT = ['ResultPath', 'ResultSelector'];
const ERRORS = ['Retry', 'Catch'];

const FIELDS: Record<string, readonly string[]> = {
  Task: [...COMMON, ...FLOW, ...IO, ...RESULT, ...ERRORS, 'Resource', 'Parameters', 'TimeoutSeconds'],
  Pass: [...COMMON, ...FLOW, ...IO, 'ResultPath', 'Parameters', 'Result'],
  Choice: [...COMMON, ...IO, 'Choices', 'Default'],
  Succeed: [...COMMON, ...IO],
  Fail: [...COMMON, 'Error', 'Cause', 'ErrorPath', 'CausePath'],
  Map: [
    ...COMMON,
    ...FLOW,
    ...IO,
    ...RESULT,
    ...ERRORS,
    'ItemProcessor',
    'ItemReader',
    'ItemsPath',
    'ItemSelector',
    'ResultWriter',
    'MaxConcurrency',
    'ToleratedFailurePercentage',
    'ToleratedFailureCount',
    'Label',
  ],
};

/** The Parameters each task resource takes (a `.$` variant of each is allowed too). */
const TASK_PARAMETERS: Record<string, readonly string[]> = {
  [LAMBDA_INVOKE]: ['FunctionName', 'Payload'],
  [SNS_PUBLISH]: ['TopicArn', 'Message', 'Subject'],
};

const RETRIER_FIELDS = [
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
];
const CATCHER_FIELDS = ['ErrorEquals', 'Next', 'ResultPath', 'Comment'];

function refuse(where: string, what: string): never {
  throw new UnsupportedAslError(`${where}: ${what}`);
}

function onlyFields(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) refuse(where, `the walker does not implement ${unknown.join(', ')}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkPathField(state: AslState, field: 'InputPath' | 'OutputPath' | 'ResultPath', where: string) {
  const value = state[field];
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') refuse(where, `${field} must be a path or null`);
  parsePath(value);
}

/** The parameter names of a template, without their `.$` suffix; each must be one the resource takes. */
function checkParameterNames(parameters: unknown, allowed: readonly string[], where: string): void {
  if (parameters === undefined) return;
  if (!isObject(parameters)) refuse(where, 'Parameters must be an object');
  for (const key of Object.keys(parameters)) {
    const name = key.endsWith('.$') ? key.slice(0, -2) : key;
    if (!allowed.includes(name))
      refuse(where, `the walker does not implement the parameter ${name} (it has ${allowed.join(', ')})`);
  }
  checkTemplate(parameters, where);
}

function checkErrorHandlers(state: AslState, states: Record<string, AslState>, where: string): void {
  const lists = [
    ['Retry', state.Retry, RETRIER_FIELDS],
    ['Catch', state.Catch, CATCHER_FIELDS],
  ] as const;
  for (const [field, handlers, allowed] of lists) {
    if (handlers === undefined) continue;
    if (!Array.isArray(handlers)) refuse(where, `${field} must be a list`);
    handlers.forEach((handler, i) => {
      const at = `${where} ${field}[${i}]`;
      if (!isObject(handler)) refuse(at, 'must be an object');
      onlyFields(handler, allowed, at);
      const names = handler.ErrorEquals;
      if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
        refuse(at, 'ErrorEquals must be a non-empty list of error names');
      }
      if (names.includes('States.ALL') && (names.length > 1 || i !== handlers.length - 1)) {
        refuse(at, 'States.ALL must appear alone, in the last entry');
      }
      if (field === 'Catch') {
        if (typeof handler.Next !== 'string' || !(handler.Next in states))
          refuse(at, `Next "${String(handler.Next)}" is not a state`);
        if (handler.ResultPath !== undefined && handler.ResultPath !== null)
          parsePath(String(handler.ResultPath));
      }
    });
  }
}

function checkTransition(state: AslState, states: Record<string, AslState>, where: string): void {
  if (state.End === true) {
    if (state.Next !== undefined) refuse(where, 'has both Next and End');
    return;
  }
  if (typeof state.Next !== 'string' || !(state.Next in states))
    refuse(where, `Next "${String(state.Next)}" is not a state`);
}

function checkMap(state: AslState, where: string): void {
  const processor = state.ItemProcessor;
  if (!isObject(processor)) refuse(where, 'a Map needs an ItemProcessor');
  const config = processor.ProcessorConfig;
  if (!isObject(config) || config.Mode !== 'DISTRIBUTED') {
    refuse(where, 'the walker runs only distributed Maps (ItemProcessor.ProcessorConfig.Mode DISTRIBUTED)');
  }
  onlyFields(config, ['Mode', 'ExecutionType'], `${where} ProcessorConfig`);
  if (config.ExecutionType !== 'STANDARD' && config.ExecutionType !== 'EXPRESS') {
    refuse(where, 'ProcessorConfig.ExecutionType must be STANDARD or EXPRESS');
  }
  onlyFields(
    processor,
    ['ProcessorConfig', 'StartAt', 'States', 'Comment', 'QueryLanguage'],
    `${where} ItemProcessor`,
  );
  checkDefinition(processor as unknown as AslDefinition, `${where} ItemProcessor`);

  const reader = state.ItemReader;
  if (reader !== undefined) {
    if (state.ItemsPath !== undefined) refuse(where, 'ItemsPath cannot be combined with ItemReader');
    onlyFields(reader, ['Resource', 'ReaderConfig', 'Parameters'], `${where} ItemReader`);
    if (reader.Resource !== S3_GET_OBJECT) refuse(where, `the walker reads items only with ${S3_GET_OBJECT}`);
    const readerConfig = reader.ReaderConfig;
    if (!isObject(readerConfig) || readerConfig.InputType !== 'JSON') {
      refuse(where, 'the walker reads only ReaderConfig.InputType JSON (one JSON array)');
    }
    onlyFields(readerConfig, ['InputType', 'MaxItems'], `${where} ReaderConfig`);
    checkParameterNames(reader.Parameters, ['Bucket', 'Key'], `${where} ItemReader`);
  } else if (state.ItemsPath !== undefined) {
    parsePath(String(state.ItemsPath));
  }
  if (state.ItemSelector !== undefined) checkTemplate(state.ItemSelector, `${where} ItemSelector`);

  const writer = state.ResultWriter;
  if (writer !== undefined) {
    onlyFields(writer, ['Resource', 'Parameters'], `${where} ResultWriter`);
    if (writer.Resource !== S3_PUT_OBJECT)
      refuse(where, `the walker writes results only with ${S3_PUT_OBJECT}`);
    checkParameterNames(writer.Parameters, ['Bucket', 'Prefix'], `${where} ResultWriter`);
  }
  for (const field of ['MaxConcurrency', 'ToleratedFailureCount'] as const) {
    const value = state[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 0))
      refuse(where, `${field} must be a whole number`);
  }
  const percentage = state.ToleratedFailurePercentage;
  if (percentage !== undefined && (typeof percentage !== 'number' || percentage < 0 || percentage > 100)) {
    refuse(where, 'ToleratedFailurePercentage must be a number from 0 to 100');
  }
}

function checkState(name: string, state: AslState, states: Record<string, AslState>, where: string): void {
  const at = `${where} state ${name}`;
  if (!isObject(state)) refuse(at, 'is not an object');
  const allowed = FIELDS[state.Type];
  if (!allowed) refuse(at, `the walker does not implement states of Type ${String(state.Type)}`);
  onlyFields(state, allowed, at);
  if (state.QueryLanguage !== undefined && state.QueryLanguage !== 'JSONPath') {
    refuse(at, `the walker reads only the JSONPath query language, not ${String(state.QueryLanguage)}`);
  }
  for (const field of ['InputPath', 'OutputPath', 'ResultPath'] as const) checkPathField(state, field, at);
  if (state.ResultSelector !== undefined) checkTemplate(state.ResultSelector, `${at} ResultSelector`);

  switch (state.Type) {
    case 'Task': {
      const allowedParameters = TASK_PARAMETERS[String(state.Resource)];
      if (!allowedParameters) {
        refuse(
          at,
          `the walker does not implement the resource ${String(state.Resource)} (it has ${Object.keys(TASK_PARAMETERS).join(', ')})`,
        );
      }
      checkParameterNames(state.Parameters, allowedParameters, at);
      if (
        state.TimeoutSeconds !== undefined &&
        (!Number.isInteger(state.TimeoutSeconds) || state.TimeoutSeconds <= 0)
      ) {
        refuse(at, 'TimeoutSeconds must be a positive whole number');
      }
      checkErrorHandlers(state, states, at);
      checkTransition(state, states, at);
      break;
    }
    case 'Pass':
      if (state.Parameters !== undefined) checkTemplate(state.Parameters, at);
      checkTransition(state, states, at);
      break;
    case 'Choice': {
      if (!Array.isArray(state.Choices) || state.Choices.length === 0) refuse(at, 'a Choice needs Choices');
      state.Choices.forEach((rule) => {
        checkChoiceRule(rule, at, true);
        if (!(String(rule.Next) in states)) refuse(at, `Next "${String(rule.Next)}" is not a state`);
      });
      if (state.Default !== undefined && !(state.Default in states))
        refuse(at, `Default "${state.Default}" is not a state`);
      break;
    }
    case 'Fail':
      if (state.ErrorPath !== undefined) parsePath(state.ErrorPath);
      if (state.CausePath !== undefined) parsePath(state.CausePath);
      break;
    case 'Map':
      checkMap(state, at);
      checkErrorHandlers(state, states, at);
      checkTransition(state, states, at);
      break;
    default:
      break;
  }
}

export function checkDefinition(definition: AslDefinition, where = 'the definition'): void {
  if (!isObject(definition) || !isObject(definition.States)) refuse(where, 'has no States');
  onlyFields(
    definition,
    ['Comment', 'StartAt', 'States', 'TimeoutSeconds', 'Version', 'QueryLanguage', 'ProcessorConfig'],
    where,
  );
  if (definition.TimeoutSeconds !== undefined)
    refuse(where, 'the walker does not implement an execution TimeoutSeconds');
  if (definition.QueryLanguage !== undefined && definition.QueryLanguage !== 'JSONPath') {
    refuse(
      where,
      `the walker reads only the JSONPath query language, not ${String(definition.QueryLanguage)}`,
    );
  }
  if (typeof definition.StartAt !== 'string' || !(definition.StartAt in definition.States)) {
    refuse(where, `StartAt "${String(definition.StartAt)}" is not a state`);
  }
  for (const [name, state] of Object.entries(definition.States))
    checkState(name, state, definition.States, where);
}
