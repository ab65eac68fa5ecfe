import type { FindingsIdentity } from '../../domain/findings/asff';
import { InvalidConfigError } from '../../lib/errors';

export interface FindingsConfig {
  /** The stack's report bucket: the only one the findings step reads a report from. */
  readonly reportBucket: string;
}

export function readFindingsConfig(env: NodeJS.ProcessEnv): FindingsConfig {
  const reportBucket = env.REPORT_BUCKET?.trim();
  if (!reportBucket) throw new InvalidConfigError('REPORT_BUCKET is not set');
  return { reportBucket };
}

/**
 * The account and partition the function runs in, from its own ARN
 * (`arn:aws:lambda:<region>:<account>:function:<name>`): no call needed, and with the default
 * product the findings must be imported by the account they describe.
 */
export function callerOf(invokedFunctionArn: string): Pick<FindingsIdentity, 'accountId' | 'partition'> {
  const match = /^arn:([a-z0-9-]+):lambda:[a-z0-9-]+:(\d{12}):function:/.exec(invokedFunctionArn);
  if (!match?.[1] || !match[2]) {
    throw new InvalidConfigError(
      `cannot read the account from the function ARN ${JSON.stringify(invokedFunctionArn)}`,
    );
  }
  return { partition: match[1], accountId: match[2] };
}
