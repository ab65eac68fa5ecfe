import { z } from 'zod';
import { stepErrorSchema } from './step-failure';
import type { AccountRef } from '../domain/organization/accounts';
import {
  ACCOUNT_FAILURE_KINDS,
  accountFailure,
  type AccountFailure,
  type AccountScanOutcome,
} from '../domain/organization/account-outcome';
import type { Jsonified } from '../lib/jsonified';
import { accountFindingsSchema } from './findings-outcome';
import { accountRefSchema, reportLocationSchema, runSchema, type OrganizationRun } from './organization-run';
import { summarySchema } from './stored-report';
import { parseWith } from './validation';

/**
 * One item of the organisation map: what the scanMember step receives (the map's ItemSelector puts
 * the account from the list and the run together), and what it returns. Both travel through Step
 * Functions and the ResultWriter's files in S3, so both are checked whole where they are read.
 */

export interface MemberScanEvent {
  readonly account: AccountRef;
  readonly run: OrganizationRun;
}

const memberScanEventSchema = z.object({ account: accountRefSchema, run: runSchema }).strict();

export function parseMemberScanEvent(event: unknown): MemberScanEvent {
  return parseWith(memberScanEventSchema, event, 'the scanMember input ({ account, run })');
}

/** What scanMember returns, as JSON: the account's outcome. */
export type AccountScanResult = Jsonified<AccountScanOutcome>;

/**
 * An account's failed outcome, as a map's item returns it: the step's own (`{ kind, message }`), or
 * the map's Failed state's: an error caught around the step (a timeout, the function crashing,
 * Lambda itself failing) as Step Functions gives it, `{ Error, Cause }`. The same for both maps.
 */
export const failedAccountSchemas = [
  z
    .object({
      status: z.literal('failed'),
      account: accountRefSchema,
      error: z.object({ kind: z.enum(ACCOUNT_FAILURE_KINDS), message: z.string() }).strict(),
    })
    .strict(),
  z.object({ status: z.literal('failed'), account: accountRefSchema, error: stepErrorSchema }).strict(),
] as const;

const outcomeSchema = z.union([
  z
    .object({
      status: z.enum(['complete', 'partial']),
      account: accountRefSchema,
      report: reportLocationSchema,
      summary: summarySchema,
      findings: accountFindingsSchema.optional(),
    })
    .strict(),
  ...failedAccountSchemas,
]);

/** The Step Functions errors that mean the scan ran out of time. */
const TIMEOUT_ERRORS = ['States.Timeout', 'Sandbox.Timedout'];

/**
 * A step's `{ Error, Cause }` as an account failure. A Lambda function error's Cause is JSON
 * (`{ errorType, errorMessage, trace }`): its message is the readable part.
 */
export function failureOfStepError(error: { Error: string; Cause?: string | undefined }): AccountFailure {
  const kind = TIMEOUT_ERRORS.includes(error.Error) ? 'timed-out' : 'failed';
  return accountFailure(kind, `${error.Error}: ${readableCause(error.Cause ?? '')}`);
}

function readableCause(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: the cause is the text itself
  }
  return cause;
}

/** scanMember's result (or the MemberFailed state's), checked, as the domain's outcome. */
export function parseAccountScanResult(json: unknown, where: string): AccountScanOutcome {
  const result = parseWith(outcomeSchema, json, where);
  if (result.status !== 'failed') return result;
  const error =
    'kind' in result.error
      ? accountFailure(result.error.kind, result.error.message)
      : failureOfStepError(result.error);
  return { status: 'failed', account: result.account, error };
}
