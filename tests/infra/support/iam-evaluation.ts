import { substitute, type ReferenceLookup } from '../../../tools/template';

/**
 * Just enough of IAM's policy evaluation to test this template's statements against requests:
 * resource and action patterns with IAM's wildcards, and the condition operators the template
 * uses. Anything else throws, so a test can never pass on something this does not understand.
 */

/** The account and names the template's references stand for in these checks. */
export const ACCOUNT = '123456789012';
export const BUCKET_ARN = 'arn:aws:s3:::stale-iam-test-reportbucket-1a2b3c';
export const roleArn = (logicalId: string) =>
  `arn:aws:iam::${ACCOUNT}:role/stale-iam-test-${logicalId}-X1Y2Z3`;

export const lookup: ReferenceLookup = ({ logicalId, attribute }) => {
  if (logicalId === 'AWS::Partition') return 'aws';
  if (logicalId === 'AWS::AccountId') return ACCOUNT;
  if (logicalId === 'AWS::Region') return 'us-east-1';
  if (logicalId === 'ReportBucket' && attribute === 'Arn') return BUCKET_ARN;
  if (logicalId.endsWith('Role') && attribute === 'Arn') return roleArn(logicalId);
  throw new Error(`no value for ${logicalId}${attribute ? `.${attribute}` : ''}`);
};

/**
 * Whether an IAM pattern (Resource, or Action with `ignoreCase`) matches a value: `*` is any run of
 * characters, `?` any one; the policy variables `${*}`, `${?}` and `${$}` are those characters
 * themselves. Any other `${...}` would be a variable IAM fills in: refused here.
 */
export function iamMatches(pattern: string, value: string, ignoreCase = false): boolean {
  let regex = '';
  for (let i = 0; i < pattern.length;) {
    if (pattern.startsWith('${', i)) {
      const end = pattern.indexOf('}', i);
      const name = pattern.slice(i + 2, end);
      if (end < 0 || !['*', '?', '$'].includes(name)) throw new Error(`policy variable in ${pattern}`);
      regex += escapeRegex(name);
      i = end + 1;
      continue;
    }
    const ch = pattern.charAt(i);
    regex += ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : escapeRegex(ch);
    i++;
  }
  return new RegExp(`^${regex}$`, ignoreCase ? 'i' : '').test(value);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface Request {
  readonly action: string;
  readonly resource: string;
  /** Condition keys of the request, e.g. `aws:PrincipalArn`, `aws:SecureTransport`. */
  readonly context: Readonly<Record<string, string>>;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Whether `statement` applies to `request`: its action, resource and every condition match. */
export function applies(statement: Statement, request: Request): boolean {
  const actions = asArray(statement.Action);
  if (!actions.some((a) => iamMatches(a, request.action, true))) return false;
  const resources = asArray(statement.Resource as unknown).map((r) => substitute(r, lookup));
  if (!resources.some((r) => iamMatches(r, request.resource))) return false;
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      const values = asArray(expected as unknown).map((v) => substitute(v, lookup));
      const actual = Object.entries(request.context).find(
        ([k]) => k.toLowerCase() === key.toLowerCase(),
      )?.[1];
      if (!conditionHolds(operator, actual, values)) return false;
    }
  }
  return true;
}

function conditionHolds(operator: string, actual: string | undefined, values: string[]): boolean {
  switch (operator) {
    case 'ArnNotEquals':
      // A negated operator holds when the key matches none of the values, or is absent.
      return actual === undefined || !values.some((v) => iamMatches(v, actual));
    case 'ArnEquals':
      return actual !== undefined && values.some((v) => iamMatches(v, actual));
    case 'Bool':
      return actual !== undefined && values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringEqualsIgnoreCase':
      return actual !== undefined && values.some((v) => v.toLowerCase() === actual.toLowerCase());
    default:
      throw new Error(`condition operator ${operator} is not evaluated here`);
  }
}
