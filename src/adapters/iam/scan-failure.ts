import { accountFailure, type AccountFailure } from '../../domain/organization/account-outcome';
import type { MemberScanStage } from '../../domain/organization/scan-member-account';
import { describeAwsError } from '../../lib/errors';

/**
 * What an error from scanning a member account means, for the organisation report and the advice in
 * the email. The adapters wrap the SDK's errors (an AwsReadError whose `cause` is the SDK's), so
 * the AWS error name is looked for along the `cause` chain.
 */

/** IAM's and STS's wire codes, and the SDK's names for them. */
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

/** How the credential report source says it gave up waiting (src/adapters/credential-report/source.ts). */
const REPORT_NOT_READY = /the credential report was not ready|stopped waiting for the credential report/;

export function classifyScanFailure(error: unknown, stage: MemberScanStage): AccountFailure {
  const message = describeAwsError(error);
  if (stage === 'session') return accountFailure('role-unavailable', message);
  const names = causeChain(error).map((e) => e.name);
  if (names.some((name) => ACCESS_DENIED.has(name))) return accountFailure('access-denied', message);
  if (names.some((name) => THROTTLING.has(name))) return accountFailure('throttled', message);
  if (causeChain(error).some((e) => REPORT_NOT_READY.test(e.message))) {
    return accountFailure('report-not-ready', message);
  }
  return accountFailure('failed', message);
}

function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 8; e = e.cause) chain.push(e);
  return chain;
}
