import { IAMClient } from '@aws-sdk/client-iam';
import { emulatorEnvironment } from '../../../tools/emulator/environment';

/**
 * SDK settings for the emulator. moto runs a request in the account of the access key it issued;
 * any other 20-character key runs in its default account, 123456789012 (the management account of
 * an organization created there).
 */
export const DEFAULT_ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';

export interface EmulatorCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'emulator-secret',
};

/** Client settings for `endpoint`, as the default account unless other credentials are given. */
export function clientConfig(endpoint: string, credentials: EmulatorCredentials = DEFAULT_CREDENTIALS) {
  return { endpoint, region: REGION, credentials, forcePathStyle: true, maxAttempts: 2 };
}

export function iamClient(endpoint: string, credentials?: EmulatorCredentials): IAMClient {
  return new IAMClient(clientConfig(endpoint, credentials));
}

/** The environment a child process (the CLI) needs to reach the emulator with `credentials`. */
export function cliEnvironment(endpoint: string, credentials: EmulatorCredentials = DEFAULT_CREDENTIALS) {
  return emulatorEnvironment(endpoint, credentials);
}
