import { UnsupportedAslError } from './errors';
import { lookUp, parsePath, readPath, type DataScope, type Json } from './json-path';

/**
 * Choice rules: And, Or, Not, and a `Variable` compared by one of the operators below (each also
 * as `...Path`, comparing with the value at another path, except the Is* tests and StringMatches).
 * A comparison of the wrong type is false, as in Step Functions; a `Variable` that is not there is
 * States.Runtime, except for IsPresent. Timestamp comparisons are refused.
 */

type Compare = (value: Json, operand: Json) => boolean;

const bothStrings =
  (f: (a: string, b: string) => boolean): Compare =>
  (a, b) =>
    typeof a === 'string' && typeof b === 'string' && f(a, b);
const bothNumbers =
  (f: (a: number, b: number) => boolean): Compare =>
  (a, b) =>
    typeof a === 'number' && typeof b === 'number' && f(a, b);

const COMPARISONS: Record<string, Compare> = {
  StringEquals: bothStrings((a, b) => a === b),
  StringLessThan: bothStrings((a, b) => a < b),
  StringGreaterThan: bothStrings((a, b) => a > b),
  StringLessThanEquals: bothStrings((a, b) => a <= b),
  StringGreaterThanEquals: bothStrings((a, b) => a >= b),
  NumericEquals: bothNumbers((a, b) => a === b),
  NumericLessThan: bothNumbers((a, b) => a < b),
  NumericGreaterThan: bothNumbers((a, b) => a > b),
  NumericLessThanEquals: bothNumbers((a, b) => a <= b),
  NumericGreaterThanEquals: bothNumbers((a, b) => a >= b),
  BooleanEquals: (a, b) => typeof a === 'boolean' && a === b,
};

const TYPE_TESTS: Record<string, (value: Json) => boolean> = {
  IsNull: (value) => value === null,
  IsNumeric: (value) => typeof value === 'number',
  IsString: (value) => typeof value === 'string',
  IsBoolean: (value) => typeof value === 'boolean',
};

const RULE_FIELDS = new Set(['Variable', 'Next', 'Comment']);

/** The one operator of a rule, e.g. `StringEquals` or `IsPresent`; a rule with none or two is refused. */
function operatorOf(rule: Record<string, unknown>, where: string): string {
  const operators = Object.keys(rule).filter((key) => !RULE_FIELDS.has(key));
  const [operator] = operators;
  if (operators.length !== 1 || operator === undefined) {
    throw new UnsupportedAslError(
      `${where}: a Choice rule needs exactly one operator, got ${operators.join(', ') || 'none'}`,
    );
  }
  const base = operator.endsWith('Path') ? operator.slice(0, -'Path'.length) : operator;
  const known =
    ['And', 'Or', 'Not', 'IsPresent', 'StringMatches'].includes(operator) ||
    operator in TYPE_TESTS ||
    base in COMPARISONS;
  if (!known)
    throw new UnsupportedAslError(`${where}: the walker does not implement the Choice operator ${operator}`);
  return operator;
}

/** Checks a rule and its nested rules before the walk starts. */
export function checkChoiceRule(rule: Record<string, unknown>, where: string, topLevel: boolean): void {
  if (topLevel && typeof rule.Next !== 'string')
    throw new UnsupportedAslError(`${where}: a Choice rule needs Next`);
  if (!topLevel && 'Next' in rule)
    throw new UnsupportedAslError(`${where}: a nested Choice rule has no Next`);
  const operator = operatorOf(rule, where);
  if (operator === 'And' || operator === 'Or') {
    const rules = rule[operator];
    if (!Array.isArray(rules) || rules.length === 0)
      throw new UnsupportedAslError(`${where}: ${operator} needs rules`);
    rules.forEach((inner) => checkChoiceRule(inner as Record<string, unknown>, where, false));
  } else if (operator === 'Not') {
    checkChoiceRule(rule.Not as Record<string, unknown>, where, false);
  } else {
    if (typeof rule.Variable !== 'string')
      throw new UnsupportedAslError(`${where}: ${operator} needs a Variable`);
    parsePath(rule.Variable);
    if (operator.endsWith('Path')) parsePath(String(rule[operator]));
  }
}

export function evaluateChoiceRule(rule: Record<string, unknown>, scope: DataScope): boolean {
  const operator = operatorOf(rule, 'Choice');
  if (operator === 'And')
    return (rule.And as Record<string, unknown>[]).every((r) => evaluateChoiceRule(r, scope));
  if (operator === 'Or')
    return (rule.Or as Record<string, unknown>[]).some((r) => evaluateChoiceRule(r, scope));
  if (operator === 'Not') return !evaluateChoiceRule(rule.Not as Record<string, unknown>, scope);
  const variable = String(rule.Variable);
  if (operator === 'IsPresent') return lookUp(variable, scope).found === rule.IsPresent;
  const value = readPath(variable, scope);
  const typeTest = TYPE_TESTS[operator];
  if (typeTest) return typeTest(value) === rule[operator];
  if (operator === 'StringMatches') {
    return typeof value === 'string' && wildcardPattern(String(rule.StringMatches)).test(value);
  }
  const byPath = operator.endsWith('Path');
  const compare = COMPARISONS[byPath ? operator.slice(0, -'Path'.length) : operator];
  if (!compare)
    throw new UnsupportedAslError(`the walker does not implement the Choice operator ${operator}`);
  const operand = byPath ? readPath(String(rule[operator]), scope) : (rule[operator] as Json);
  return compare(value, operand);
}

/** StringMatches: `*` is any text; `\*` and `\\` are a literal star and backslash. */
function wildcardPattern(pattern: string): RegExp {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '\\' && i + 1 < pattern.length) {
      regex += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '*') {
      regex += '.*';
    } else {
      regex += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${regex}$`, 's');
}
