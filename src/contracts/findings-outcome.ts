import { z } from 'zod';
import { MAX_FAILURES_LISTED, type FindingsOutcome } from '../domain/findings/sync';
import type { AccountFindings } from '../domain/organization/account-outcome';
import { InvalidInputError } from '../lib/errors';
import { parseStepFailure, type StepFailure } from './step-failure';

/**
 * What the findings step hands on (`findings`), or, when it failed, what the state machine's Catch
 * recorded (`findingsError`: the Lambda error's name and cause). Notify reads both to tell the
 * operators; both are checked first, like every step input.
 */

const count = z.number().int().nonnegative();
const productArn = z
  .string()
  .regex(/^arn:[a-z0-9-]+:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/);

const findingsOutcomeSchema = z.discriminatedUnion('status', [
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

/** An organisation run's findings of one account: the import's outcome, or why it failed there. */
export const accountFindingsSchema = z.union([
  findingsOutcomeSchema,
  z.object({ status: z.literal('failed'), error: z.string(), message: z.string() }).strict(),
]) satisfies z.ZodType<AccountFindings>;

export type FindingsStepFailure = StepFailure;

export function parseFindingsOutcome(value: unknown, step: string): FindingsOutcome {
  const parsed = findingsOutcomeSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(
      `${step}: findings is not what the findings step returns: ${issue?.path.join('.') || 'findings'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

export function parseFindingsStepFailure(value: unknown, step: string): FindingsStepFailure {
  return parseStepFailure(value, step, 'findingsError');
}
