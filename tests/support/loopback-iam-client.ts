import type { IAMClient } from '@aws-sdk/client-iam';
import { createIamClient } from '../../src/adapters/iam/client';

/**
 * The product's own IAM client (its retry strategy included) pointed at a loopback fake, with dummy
 * credentials and retries that do not wait, so wire-level tests never sleep.
 */
export function loopbackIamClient(endpoint: string, maxAttempts?: number): IAMClient {
  return createIamClient({
    maxAttempts,
    backoff: () => 0,
    overrides: {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    },
  });
}
