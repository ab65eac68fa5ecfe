import type { AwsCredentialIdentity } from '@smithy/types';

/**
 * What a child process (the CLI, the local runner) needs to reach the emulator as `credentials`,
 * and nothing of this machine's own AWS setup: no config or credentials file, no instance metadata.
 * moto runs each request in the account of the key it issued (any other key: its default account).
 */
export function emulatorEnvironment(
  endpoint: string,
  credentials: AwsCredentialIdentity,
): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    AWS_CONFIG_FILE: '/nonexistent/stale-iam-emulator-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/stale-iam-emulator-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
