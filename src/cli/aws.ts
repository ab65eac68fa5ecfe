import type { IAMClient } from '@aws-sdk/client-iam';
import { createIamClient } from '../adapters/iam/client';
import type { AwsFlags, CliIo } from './io';

/** A connection not established in this time is not going to be: say so instead of hanging. */
const CONNECT_TIMEOUT_MS = 3_000;

/**
 * The IAM client of one CLI run: `--profile`/`--region` over the SDK's standard chain, throttling
 * retried as in the service, but an endpoint that cannot be reached fails at once.
 */
export function cliIamClient(aws: AwsFlags): IAMClient {
  return createIamClient({
    failFastWhenUnreachable: true,
    overrides: {
      ...(aws.region ? { region: aws.region } : {}),
      ...(aws.profile ? { profile: aws.profile } : {}),
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS },
    },
  });
}

/** The client of this run (injected by tests), and where its last request went, for error messages. */
export function iamClientFor(io: CliIo, aws: AwsFlags): { client: IAMClient; endpoint: () => string | null } {
  const client = (io.iamClient ?? cliIamClient)(aws);
  let endpoint: string | null = null;
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
      if (request?.hostname) {
        endpoint = `${request.protocol ?? 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
      }
      return next(args);
    },
    { step: 'finalizeRequest' },
  );
  return { client, endpoint: () => endpoint };
}
