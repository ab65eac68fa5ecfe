import { z } from 'zod';
import { REMEDIATION_MODES, type ActionOutcome } from '../domain/remediation/plan';
import type { RemediationSummary } from '../domain/remediation/summary';
import { InvalidInputError } from '../lib/errors';

/**
 * The disable step's summary (RemediationSummary), as a later step receives it in its input:
 * validated whole before anything is drawn from it.
 */

/** Every outcome, checked against the type by the compiler: a new outcome must be added here. */
const OUTCOME_SET: Record<ActionOutcome, true> = {
  deleted: true,
  deactivated: true,
  'would-delete': true,
  'would-deactivate': true,
  'already-gone': true,
  exempt: true,
  'skipped-used-since': true,
  'skipped-cap': true,
  'skipped-scan-error': true,
  failed: true,
};
const OUTCOMES = Object.keys(OUTCOME_SET) as [ActionOutcome, ...ActionOutcome[]];

const count = z.number().int().nonnegative();

const summary = z
  .object({
    mode: z.enum(REMEDIATION_MODES),
    deactivateAccessKeys: z.boolean(),
    auditKey: z.string(),
    blocked: z
      .object({ reason: z.enum(['scan-errors', 'cap']), detail: z.string() })
      .strict()
      .nullable(),
    counts: z.partialRecord(z.enum(OUTCOMES), count),
    items: z.array(
      z
        .object({
          userName: z.string().min(1).max(128),
          credential: z
            .object({
              type: z.enum(['password', 'access-key']),
              accessKeyId: z.string().nullable(),
              slot: z.union([z.literal(1), z.literal(2)]).nullable(),
            })
            .strict(),
          outcome: z.enum(OUTCOMES),
          reason: z.string().nullable(),
        })
        .strict(),
    ),
    itemsOmitted: count,
  })
  .strict();

/** The summary in a step's input (`where` names it in messages); throws InvalidInputError naming the first problem. */
export function parseRemediationSummary(value: unknown, where: string): RemediationSummary {
  const parsed = summary.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : 'the summary';
    throw new InvalidInputError(`${where} is not a valid remediation summary: ${path}: ${issue?.message}`);
  }
  const result = parsed.data as RemediationSummary;
  const counted = Object.values(result.counts).reduce((n, c) => n + (c ?? 0), 0);
  if (result.items.length + result.itemsOmitted !== counted) {
    throw new InvalidInputError(
      `${where} is not consistent: ${result.items.length} items and ${result.itemsOmitted} omitted, but the counts add up to ${counted}`,
    );
  }
  return result;
}
