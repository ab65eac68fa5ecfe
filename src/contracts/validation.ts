import type { z } from 'zod';
import { InvalidInputError } from '../lib/errors';

/**
 * A value that crossed a boundary, checked against its schema: the typed value, or an
 * InvalidInputError naming `what` it is, the first field that is wrong and why.
 */
export function parseWith<S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : 'the value';
    throw new InvalidInputError(`${what} is not valid: ${path}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** JSON text from a step or a file, parsed; InvalidInputError when it is not JSON. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${what} is not JSON`, { cause: error });
  }
}
