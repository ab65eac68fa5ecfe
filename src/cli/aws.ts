import type { IAMClient } from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, MiddlewareStack } from '@smithy/types';
import { createIamClient, jitteredBackoff } from '../adapters/iam/client';
import { ScanRetryStrategy } from '../adapters/iam/retry-strategy';
import { createOrganizationsClient } from '../adapters/organizations/account-directory';
import type { AwsFlags, CliIo } from './io';

/** A connection not established in this time is not going to be: say so instead of hanging. */
const CONNECT_TIMEOUT_MS = 3_000;

/** Organizations and STS calls of one CLI run: throttling retried with backoff, an unreachable endpoint not. */
const CONTROL_PLANE_ATTEMPTS = 8;

/** `--profile`/`--region` over the SDK's standard chain, and the connection timeout. */
function clientSettings(aws: AwsFlags) {
  return {
    ...(aws.region ? { region: aws.region } : {}),
    ...(aws.profile ? { profile: aws.profile } : {}),
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS },
  };
}

/**
 * The IAM client of one CLI run: `--profile`/`--region` over the SDK's standard chain, throttling
 * retried as in the service, but an endpoint that cannot be reached fails at once. With
 * `credentials` (a member account's session, `--organization`), those instead of the chain's.
 */
export function cliIamClient(aws: AwsFlags, credentials?: AwsCredentialIdentity): IAMClient {
  return createIamClient({
    failFastWhenUnreachable: true,
    overrides: { ...clientSettings(aws), ...(credentials ? { credentials } : {}) },
  });
}

/** AWS Organizations for `--organization`: the caller's credentials list the accounts. */
export function cliOrganizationsClient(aws: AwsFlags): OrganizationsClient {
  return createOrganizationsClient({
    ...clientSettings(aws),
    retryStrategy: new ScanRetryStrategy(CONTROL_PLANE_ATTEMPTS, (n) => jitteredBackoff(n), false),
  });
}

/** STS for `--organization`: who the caller is, and the member sessions (AssumeRole). */
export function cliStsClient(aws: AwsFlags): STSClient {
  return new STSClient({
    ...clientSettings(aws),
    maxAttempts: CONTROL_PLANE_ATTEMPTS,
    retryStrategy: new ScanRetryStrategy(CONTROL_PLANE_ATTEMPTS, (n) => jitteredBackoff(n), false),
  });
}

/** Where the client's last request went, for error messages: `http://127.0.0.1:5000`. */
export function trackEndpoint<I extends object, O extends object>(
  stack: MiddlewareStack<I, O>,
): () => string | null {
  let endpoint: string | null = null;
  stack.add(
    (next) => async (args) => {
      const request = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
      if (request?.hostname) {
        endpoint = `${request.protocol ?? 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
      }
      return next(args);
    },
    { step: 'finalizeRequest' },
  );
  return () => endpoint;
}

/** The client of this run (injected by tests), and where its last request went, for error messages. */
export function iamClientFor(io: CliIo, aws: AwsFlags): { client: IAMClient; endpoint: () => string | null } {
  const client = (io.iamClient ?? cliIamClient)(aws);
  return { client, endpoint: trackEndpoint(client.middlewareStack) };
}
