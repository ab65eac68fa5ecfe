import type { IAMClient } from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import {
  AwsReadError,
  InvalidConfigError,
  InvalidInputError,
  describeAwsError,
  oneLine,
} from '../lib/errors';
import { escapeUnsafe } from '../lib/safe-text';
import { unreachableReason } from '../lib/unreachable';

/** Exit codes, so scripts and CI jobs can tell runs apart (README "Exit codes"). */
export const EXIT = {
  /** Every user was evaluated. */
  complete: 0,
  /** Nothing was evaluated: AWS or input error. */
  failed: 1,
  /** Invalid usage: an unknown option, a value out of range. */
  usage: 2,
  /** The report was printed, but some users could not be evaluated. */
  partial: 3,
  /** `--fail-on-stale` and at least one user is stale (a complete scan). */
  staleFound: 4,
} as const;

/** `--profile` and `--region`; unset: the SDK's standard chain (AWS_PROFILE, AWS_REGION, ...). */
export interface AwsFlags {
  readonly profile?: string;
  readonly region?: string;
}

export interface CliIo {
  /** `once('drain')`: a stream that asks the writer to wait (process.stdout on a slow pipe). */
  readonly stdout: { write(text: string): unknown; once?(event: 'drain', listener: () => void): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly clock: () => Date;
  /**
   * Builds the IAM client for live sources, with a member account's session when `credentials`
   * are given (`--organization`); tests inject a mocked one.
   */
  readonly iamClient?: (aws: AwsFlags, credentials?: AwsCredentialIdentity) => IAMClient;
  /** `--organization`: the AWS Organizations client that lists the accounts; tests inject a mocked one. */
  readonly organizationsClient?: (aws: AwsFlags) => OrganizationsClient;
  /** `--organization`: the STS client that assumes the member role; tests inject a mocked one. */
  readonly stsClient?: (aws: AwsFlags) => STSClient;
  /** Waits between credential report polls; tests inject one that does not really wait. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** One line on stderr, `stale-iam: ...`; text from outside (a name in a report) cannot reach the terminal raw. */
export function printError(io: CliIo, message: string): void {
  io.stderr.write(`stale-iam: ${escapeUnsafe(oneLine(message))}\n`);
}

export function printWarning(io: CliIo, message: string): void {
  printError(io, `warning: ${message}`);
}

/**
 * The one line a failure prints, and the exit code that says which kind it was; never a stack trace
 * (`STALE_IAM_DEBUG=1` adds one for bug reports).
 * @param endpoint the URL the last AWS request went to, when known
 */
export function fail(io: CliIo, error: unknown, endpoint: string | null = null): number {
  if (error instanceof InvalidConfigError) {
    printError(io, error.message);
    return EXIT.usage;
  }
  const unreachable = unreachableReason(error);
  if (unreachable) {
    const where = endpoint ?? 'the IAM endpoint';
    const setting = process.env.AWS_ENDPOINT_URL ? ' (AWS_ENDPOINT_URL)' : '';
    printError(
      io,
      `cannot reach ${where}${setting}: ${unreachable}; check the endpoint, the network and any proxy`,
    );
    return EXIT.failed;
  }
  if (error instanceof InvalidInputError || error instanceof AwsReadError) {
    printError(io, explainAws(error, error.message));
    return EXIT.failed;
  }
  printError(io, `unexpected error: ${explainAws(error, describeAwsError(error))}`);
  if (process.env.STALE_IAM_DEBUG && error instanceof Error && error.stack)
    io.stderr.write(`${error.stack}\n`);
  return EXIT.failed;
}

/**
 * A command's arguments parsed, or the exit code when there is nothing more to do: `--help` printed
 * its usage (0), or a mistake printed its one line (2).
 */
export function parsedCommand<T>(io: CliIo, parse: () => T | 'help', usage: string): T | { exit: number } {
  let parsed: T | 'help';
  try {
    parsed = parse();
  } catch (error) {
    return { exit: fail(io, error) };
  }
  if (parsed === 'help') {
    io.stdout.write(usage);
    return { exit: EXIT.complete };
  }
  return parsed;
}

/** Adds what to do about the failures people hit first: no credentials, no region. */
function explainAws(error: unknown, text: string): string {
  const root = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (root instanceof Error && root.name === 'CredentialsProviderError') {
    return `${text} (no AWS credentials found: pass --profile, set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`;
  }
  if (root instanceof Error && /region is missing/i.test(root.message)) {
    return `${text} (pass --region or set AWS_REGION, e.g. us-east-1: IAM is global but the SDK needs a region)`;
  }
  return text;
}
