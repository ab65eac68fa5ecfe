import { z } from 'zod';
import { MAX_FAILURES_LISTED, type FindingsOutcome } from '../domain/findings/sync';
import { InvalidInputError } from '../lib/errors';

/**
 * What the findings step hands on (`findings`), or, when it failed, what the state machine's Catch
 * recorded (`findingsError`: the Lambda error's name and cause). Notify reads both to tell the
 * operators; both are checked first, like every step input.
 */

const count = z.number().int().nonnegative();
const productArn = z
  .string()
  .regex(/^arn:[a-z0-9-]+:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/);

const outcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('skipped'), reason: z.literal('partial-scan'), productArn }).strict(),
  z
    .object({
      status: z.literal('imported'),
      productArn,
      created: count,
      updated: count,
      resolved: count,
      failed: count,
      failures: z
        .array(z.object({ id: z.string(), code: z.string(), message: z.string() }).strict())
        .max(MAX_FAILURES_LISTED),
      unreadable: count,
    })
    .strict(),
]) satisfies z.ZodType<FindingsOutcome>;

/** The Catch's record of a failed task: `{ Error, Cause }` as Step Functions writes it. */
const stepError = z.object({ Error: z.string(), Cause: z.string().optional() });

export interface FindingsStepFailure {
  readonly error: string;
  /** The error's message when the cause is a Lambda error document, else the cause as it came. */
  readonly message: string;
}

export function parseFindingsOutcome(value: unknown, step: string): FindingsOutcome {
  const parsed = outcome.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(
      `${step}: findings is not what the findings step returns: ${issue?.path.join('.') || 'findings'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

export function parseFindingsStepFailure(value: unknown, step: string): FindingsStepFailure {
  const parsed = stepError.safeParse(value);
  if (!parsed.success) throw new InvalidInputError(`${step}: findingsError is not { Error, Cause }`);
  const { Error: error, Cause: cause = '' } = parsed.data;
  return { error, message: lambdaErrorMessage(cause) };
}

/** A Lambda function error's Cause is `{"errorType","errorMessage","trace"}` as JSON. */
function lambdaErrorMessage(cause: string): string {
  try {
    const document = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof document.errorMessage === 'string') return document.errorMessage;
  } catch {
    // Not a Lambda error document (a States.Timeout, say): the cause is the message.
  }
  return cause;
}
