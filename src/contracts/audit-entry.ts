import { z } from 'zod';
import type { ActionIntent } from '../domain/remediation/journal';

/**
 * An intent read back from the audit trail (an S3 object, a line of the CLI's file) by a later run
 * that looks for actions cut off before their outcome. Written by this code, but read back across
 * a boundary: validated whole before it is reported.
 */
/** The credential an action is about: ActionRecord['credential'] (an audit line, the disable step's summary). */
export const CREDENTIAL_REF = z
  .object({
    type: z.enum(['password', 'access-key']),
    accessKeyId: z.string().nullable(),
    slot: z.union([z.literal(1), z.literal(2)]).nullable(),
  })
  .strict();

const INTENT_ENTRY = z.object({
  kind: z.literal('intent'),
  runId: z.string().min(1),
  seq: z.number().int().positive(),
  time: z.string(),
  userName: z.string().min(1).max(64),
  arn: z.string(),
  credential: CREDENTIAL_REF,
  action: z.enum(['delete-login-profile', 'deactivate-access-key']),
  before: z.record(z.string(), z.union([z.string(), z.boolean(), z.null()])),
  undo: z.string().nullable(),
});

/** The run id and the intent of an `{ kind: 'intent', ... }` entry, or the first problem with it. */
export function parseIntentEntry(
  json: unknown,
): { ok: true; runId: string; intent: ActionIntent } | { ok: false; problem: string } {
  const parsed = INTENT_ENTRY.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `${issue?.path.join('.') || 'the entry'}: ${issue?.message ?? 'invalid'}` };
  }
  const { runId, seq, time, userName, arn, credential, action, before, undo } = parsed.data;
  return { ok: true, runId, intent: { seq, time, userName, arn, credential, action, before, undo } };
}
