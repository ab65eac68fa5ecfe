import { z } from 'zod';
import { REMEDIATION_MODES, type ActionOutcome } from '../domain/remediation/plan';
import type { RemediationSummary } from '../domain/remediation/summary';
import { InvalidInputError } from '../lib/errors';
import { CREDENTIAL_REF } from './audit-entry';

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
  'skipped-floor': true,
  'not-reached': true,
  'outcome-unknown': true,
  failed: true,
};
const OUTCOMES = Object.keys(OUTCOME_SET) as [ActionOutcome, ...ActionOutcome[]];

const count = z.number().int().nonnegative();
const days = z.number().int().positive();
const text = z.string().max(2048);

/** PlanBlock: a code and its figures, no words. */
/** The organisation's cap refused the run: a plan's `refused`, and each account's block then. */
export const organizationCapBlock = z
  .object({ code: z.literal('cap-organization'), planned: count, maxActions: count })
  .strict();

export const planBlock = z.discriminatedUnion('code', [
  z.object({ code: z.literal('scan-errors'), errors: count, users: count }).strict(),
  z.object({ code: z.literal('below-floor'), thresholdDays: days, minEnforceDays: days }).strict(),
  z.object({ code: z.literal('cap-actions'), planned: count, maxActions: count }).strict(),
  z
    .object({
      code: z.literal('cap-share'),
      credential: z.enum(['password', 'access-key']),
      affected: count,
      holders: count,
      allowed: count,
      maxPercent: z.number().int().min(0).max(100),
    })
    .strict(),
  organizationCapBlock,
  z.object({ code: z.literal('over-allowance'), planned: count, allowed: count }).strict(),
]);

const exemptionCause = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tag') }).strict(),
  z.object({ kind: z.literal('user-name') }).strict(),
  z.object({ kind: z.literal('path'), path: text, prefix: text }).strict(),
  z.object({ kind: z.literal('group'), group: text }).strict(),
]);

/** RecordReason: a code and its values, no words. */
const recordReason = z.discriminatedUnion('code', [
  z.object({ code: z.literal('exempt-in-report') }).strict(),
  z.object({ code: z.literal('exempt-now'), cause: exemptionCause }).strict(),
  z.object({ code: z.literal('user-gone') }).strict(),
  z.object({ code: z.literal('login-profile-gone') }).strict(),
  z.object({ code: z.literal('key-gone') }).strict(),
  z.object({ code: z.literal('key-not-active'), status: text }).strict(),
  z.object({ code: z.literal('gone-on-write') }).strict(),
  z.object({ code: z.literal('used-since'), basis: z.enum(['last-used', 'created']), at: text }).strict(),
  z.object({ code: z.literal('password-reset'), at: text }).strict(),
  z.object({ code: z.literal('credential-report-unavailable'), error: text }).strict(),
  z.object({ code: z.literal('not-in-credential-report') }).strict(),
  z.object({ code: z.literal('ambiguous-key') }).strict(),
  z.object({ code: z.literal('aws-error'), error: text }).strict(),
  z.object({ code: z.literal('blocked'), block: planBlock }).strict(),
  z.object({ code: z.literal('not-reached') }).strict(),
  z.object({ code: z.literal('audit-unavailable'), error: text }).strict(),
  z.object({ code: z.literal('outcome-unknown'), runId: text, intendedAt: text }).strict(),
]);

export const remediationSummarySchema = z
  .object({
    mode: z.enum(REMEDIATION_MODES),
    deactivateAccessKeys: z.boolean(),
    auditKey: z.string(),
    blocked: planBlock.nullable(),
    belowFloor: z.object({ thresholdDays: days, minEnforceDays: days }).strict().nullable(),
    counts: z.partialRecord(z.enum(OUTCOMES), count),
    items: z.array(
      z
        .object({
          userName: z.string().min(1).max(128),
          credential: CREDENTIAL_REF,
          outcome: z.enum(OUTCOMES),
          reason: recordReason.nullable(),
        })
        .strict(),
    ),
    itemsOmitted: count,
  })
  .strict();

/** The summary in a step's input (`where` names it in messages); throws InvalidInputError naming the first problem. */
export function parseRemediationSummary(value: unknown, where: string): RemediationSummary {
  const parsed = remediationSummarySchema.safeParse(value);
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
