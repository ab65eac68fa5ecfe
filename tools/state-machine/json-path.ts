import { randomUUID } from 'node:crypto';
import { StatesError, UnsupportedAslError } from './errors';

/**
 * JSONPath as the walker needs it: reference paths (`$`, `$.a.b`, `$.list[0]`, `$['odd key']`),
 * the context object (`$$.Execution.Id`), payload templates (`"key.$": "$.path"`), and the
 * intrinsic functions States.Format, States.StringToJson, States.JsonToString, States.Array and
 * States.UUID. Wildcards, filters, slices and other intrinsics are refused.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One step of a parsed path: an object field or an array index. */
type Segment = string | number;

export interface ParsedPath {
  readonly context: boolean;
  readonly segments: readonly Segment[];
}

/** The data a path or template can read: the state's data (`$`) and the context object (`$$`). */
export interface DataScope {
  readonly data: Json;
  readonly context: Json;
}

export function parsePath(text: string): ParsedPath {
  const context = text.startsWith('$$');
  if (!text.startsWith('$'))
    throw new UnsupportedAslError(`"${text}" is not a JSONPath (it must start with $)`);
  const segments: Segment[] = [];
  let at = context ? 2 : 1;
  while (at < text.length) {
    const rest = text.slice(at);
    const field = /^\.([^.[\]*?@()'"]+)/.exec(rest);
    const index = /^\[(\d+)\]/.exec(rest);
    const quoted = /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest);
    if (field?.[1] !== undefined) {
      segments.push(field[1]);
      at += field[0].length;
    } else if (index?.[1] !== undefined) {
      segments.push(Number(index[1]));
      at += index[0].length;
    } else if (quoted?.[1] !== undefined) {
      segments.push(quoted[1].replace(/\\(.)/g, '$1'));
      at += quoted[0].length;
    } else {
      throw new UnsupportedAslError(
        `the walker reads only plain paths ($.a.b, $.a[0], $['a']), not "${text}" (at "${rest}")`,
      );
    }
  }
  return { context, segments };
}

/** The value at `path`, or `{ found: false }` when a field or index on the way does not exist. */
export function lookUp(path: string, scope: DataScope): { found: true; value: Json } | { found: false } {
  const parsed = parsePath(path);
  let value: Json = parsed.context ? scope.context : scope.data;
  for (const segment of parsed.segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value) || segment >= value.length) return { found: false };
      value = value[segment] as Json;
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !(segment in value)) {
        return { found: false };
      }
      value = value[segment] as Json;
    }
  }
  return { found: true, value };
}

/** The value at `path`; a missing one is the error `errorName` (States.Runtime for InputPath/OutputPath). */
export function readPath(path: string, scope: DataScope, errorName = 'States.Runtime'): Json {
  const result = lookUp(path, scope);
  if (!result.found) {
    throw new StatesError(
      errorName,
      `The JSONPath '${path}' could not be found in the input '${preview(scope.data)}'`,
    );
  }
  return result.value;
}

/**
 * ResultPath: where the result goes in the state's raw input. `null` keeps the input, `$` replaces
 * it, `$.a.b` sets that field of a copy, creating missing objects; a non-object on the way is
 * States.ResultPathMatchFailure.
 */
export function applyResultPath(input: Json, resultPath: string | null | undefined, result: Json): Json {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const parsed = parsePath(resultPath);
  if (parsed.context)
    throw new UnsupportedAslError(`ResultPath cannot point into the context object: ${resultPath}`);
  const fail = () =>
    new StatesError(
      'States.ResultPathMatchFailure',
      `Unable to apply ResultPath "${resultPath}" to input "${preview(input)}"`,
    );
  const copy = structuredClone(input);
  if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) throw fail();
  let target: { [key: string]: Json } = copy;
  parsed.segments.forEach((segment, i) => {
    if (typeof segment === 'number')
      throw new UnsupportedAslError(`ResultPath with an array index: ${resultPath}`);
    if (i === parsed.segments.length - 1) {
      target[segment] = result;
      return;
    }
    const next: Json | undefined = target[segment];
    if (next === undefined) {
      const created: { [key: string]: Json } = {};
      target[segment] = created;
      target = created;
    } else if (next !== null && typeof next === 'object' && !Array.isArray(next)) {
      target = next;
    } else {
      throw fail();
    }
  });
  return copy;
}

/**
 * A payload template (Parameters, ItemSelector, ResultSelector): objects and arrays are walked, a
 * field named `x.$` becomes `x` with the value of its path or intrinsic; a path that matches nothing
 * is States.ParameterPathFailure.
 */
export function evaluateTemplate(template: unknown, scope: DataScope): Json {
  if (Array.isArray(template)) return template.map((item) => evaluateTemplate(item, scope));
  if (template !== null && typeof template === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(template as Record<string, unknown>)) {
      if (key.endsWith('.$')) {
        if (typeof value !== 'string')
          throw new UnsupportedAslError(`the value of "${key}" must be a path or intrinsic`);
        out[key.slice(0, -2)] = evaluateExpression(value, scope);
      } else {
        out[key] = evaluateTemplate(value, scope);
      }
    }
    return out;
  }
  if (template === undefined || typeof template === 'function' || typeof template === 'symbol') {
    throw new UnsupportedAslError(`a payload template holds ${String(template)}`);
  }
  return template as Json;
}

/** The value of a `.$` field: a path, or an intrinsic function call. */
export function evaluateExpression(expression: string, scope: DataScope): Json {
  if (expression.startsWith('States.')) return evaluateIntrinsic(parseIntrinsic(expression), scope);
  return readPath(expression, scope, 'States.ParameterPathFailure');
}

/** Parses every path and intrinsic of a template without evaluating it: the walker checks definitions up front. */
export function checkTemplate(template: unknown, where: string): void {
  if (Array.isArray(template)) {
    template.forEach((item) => checkTemplate(item, where));
  } else if (template !== null && typeof template === 'object') {
    for (const [key, value] of Object.entries(template as Record<string, unknown>)) {
      if (key.endsWith('.$')) {
        if (typeof value !== 'string')
          throw new UnsupportedAslError(`${where}: "${key}" must be a path or intrinsic`);
        if (value.startsWith('States.')) parseIntrinsic(value);
        else parsePath(value);
      } else {
        checkTemplate(value, where);
      }
    }
  }
}

/* ----------------------------------------------------------------------------------- intrinsics */

type Argument =
  { kind: 'literal'; value: Json } | { kind: 'path'; path: string } | { kind: 'call'; call: IntrinsicCall };

interface IntrinsicCall {
  readonly name: string;
  readonly args: readonly Argument[];
}

const INTRINSICS = [
  'States.Format',
  'States.StringToJson',
  'States.JsonToString',
  'States.Array',
  'States.UUID',
];

export function parseIntrinsic(expression: string): IntrinsicCall {
  let at = 0;
  const fail = (what: string): never => {
    throw new UnsupportedAslError(
      `cannot read the intrinsic ${preview(expression)}: ${what} at position ${at}`,
    );
  };
  const skipSpaces = () => {
    while (/\s/.test(expression[at] ?? '')) at++;
  };
  const parseCall = (depth: number): IntrinsicCall => {
    if (depth > 10) fail('intrinsics nest at most 10 deep');
    const name = /^States\.[A-Za-z]+/.exec(expression.slice(at))?.[0];
    if (!name) return fail('expected States.<Function>(');
    if (!INTRINSICS.includes(name)) {
      throw new UnsupportedAslError(
        `the walker does not implement the intrinsic ${name} (it has ${INTRINSICS.join(', ')})`,
      );
    }
    at += name.length;
    if (expression[at] !== '(') fail('expected (');
    at++;
    const args: Argument[] = [];
    skipSpaces();
    if (expression[at] === ')') {
      at++;
      return { name, args };
    }
    for (;;) {
      skipSpaces();
      args.push(parseArgument(depth));
      skipSpaces();
      if (expression[at] === ',') {
        at++;
      } else if (expression[at] === ')') {
        at++;
        return { name, args };
      } else {
        fail('expected , or )');
      }
    }
  };
  const parseArgument = (depth: number): Argument => {
    const rest = expression.slice(at);
    if (rest.startsWith("'")) {
      // The literal's escapes (\' \{ \} \\) stay in place for States.Format to read.
      const literal = /^'((?:[^'\\]|\\.)*)'/s.exec(rest);
      if (!literal) return fail('unterminated string');
      at += literal[0].length;
      return { kind: 'literal', value: literal[1] ?? '' };
    }
    if (rest.startsWith('States.')) return { kind: 'call', call: parseCall(depth + 1) };
    if (rest.startsWith('$')) {
      const path = /^[^,)\s]+/.exec(rest)?.[0] ?? '';
      parsePath(path);
      at += path.length;
      return { kind: 'path', path };
    }
    const scalar = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(rest)?.[0];
    if (scalar === undefined) return fail('expected a string, number, boolean, null, path or intrinsic');
    at += scalar.length;
    return { kind: 'literal', value: JSON.parse(scalar) as Json };
  };
  const call = parseCall(0);
  skipSpaces();
  if (at !== expression.length) fail('unexpected text after the call');
  return call;
}

/** A string literal of an intrinsic, unescaped (`\'` -> `'`); States.Format reads `{}` before this. */
function unescapeLiteral(text: string): string {
  return text.replace(/\\(.)/gs, '$1');
}

function evaluateArgument(argument: Argument, scope: DataScope): Json {
  if (argument.kind === 'path') return readPath(argument.path, scope, 'States.ParameterPathFailure');
  if (argument.kind === 'call') return evaluateIntrinsic(argument.call, scope);
  return typeof argument.value === 'string' ? unescapeLiteral(argument.value) : argument.value;
}

function intrinsicFailure(call: IntrinsicCall, message: string): StatesError {
  return new StatesError('States.IntrinsicFailure', `${call.name}: ${message}`);
}

export function evaluateIntrinsic(call: IntrinsicCall, scope: DataScope): Json {
  switch (call.name) {
    case 'States.Format': {
      const [template, ...rest] = call.args;
      if (template?.kind !== 'literal' || typeof template.value !== 'string') {
        throw intrinsicFailure(call, 'the first argument must be a string literal');
      }
      const values = rest.map((arg) => evaluateArgument(arg, scope));
      return format(call, template.value, values);
    }
    case 'States.StringToJson': {
      const [text] = call.args.map((arg) => evaluateArgument(arg, scope));
      if (call.args.length !== 1 || typeof text !== 'string')
        throw intrinsicFailure(call, 'expects one string');
      try {
        return JSON.parse(text) as Json;
      } catch {
        throw intrinsicFailure(call, `not JSON: ${preview(text)}`);
      }
    }
    case 'States.JsonToString': {
      if (call.args.length !== 1 || call.args[0]?.kind !== 'path')
        throw intrinsicFailure(call, 'expects one path');
      return JSON.stringify(evaluateArgument(call.args[0], scope));
    }
    case 'States.Array':
      return call.args.map((arg) => evaluateArgument(arg, scope));
    case 'States.UUID':
      if (call.args.length !== 0) throw intrinsicFailure(call, 'takes no argument');
      return randomUUID();
    default:
      throw new UnsupportedAslError(`the walker does not implement the intrinsic ${call.name}`);
  }
}

/** States.Format: `{}` placeholders in order; `\'` `\{` `\}` `\\` are escapes; strings go in raw, others as JSON. */
function format(call: IntrinsicCall, template: string, values: readonly Json[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === '\\') {
      out += template[i + 1] ?? '';
      i++;
    } else if (ch === '{' && template[i + 1] === '}') {
      if (next >= values.length) throw intrinsicFailure(call, 'more {} than arguments');
      const value = values[next++];
      out += typeof value === 'string' ? value : JSON.stringify(value);
      i++;
    } else if (ch === '{' || ch === '}') {
      throw intrinsicFailure(call, `an unescaped ${ch} in the template`);
    } else {
      out += ch;
    }
  }
  if (next !== values.length) throw intrinsicFailure(call, `${values.length} arguments for ${next} {}`);
  return out;
}

/** A short JSON view of a value for an error message. */
export function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
