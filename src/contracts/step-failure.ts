import { z } from 'zod';
import { InvalidInputError } from '../lib/errors';

/**
 * What a state machine's Catch records of a failed task and hands on (`findingsError`,
 * `renderError`, `remediationError`): the error's name and cause, as Step Functions writes them.
 * The steps that read it to tell the operators check it first, like every step input.
 */

export const stepErrorSchema = z.object({ Error: z.string(), Cause: z.string().optional() }).strict();

export interface StepFailure {
  readonly error: string;
  /** The error's message when the cause is a Lambda error document, else the cause as it came. */
  readonly message: string;
}

/** The `field` of `step`'s input: a Catch's `{ Error, Cause }`. */
export function parseStepFailure(value: unknown, step: string, field: string): StepFailure {
  const parsed = stepErrorSchema.safeParse(value);
  if (!parsed.success) throw new InvalidInputError(`${step}: ${field} is not { Error, Cause }`);
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
