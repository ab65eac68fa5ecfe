import type { IAMClient } from '@aws-sdk/client-iam';
import { CredentialReportSource } from '../../adapters/credential-report/source';
import { IamApiSource } from '../../adapters/iam/api-source';
import type { UserSource } from '../../domain/scan/ports';
import type { SETTINGS } from '../../settings/table';

/** The source the scanSource setting names, reading the account these IAM credentials reach. */
export function userSourceFor(
  iam: IAMClient,
  config: { readonly source: ReturnType<typeof SETTINGS.scanSource.parse>; readonly iamConcurrency: number },
): UserSource {
  return config.source === 'api'
    ? new IamApiSource({ client: iam, concurrency: config.iamConcurrency })
    : new CredentialReportSource({
        client: iam,
        whenNotReady: 'the next run tries again; if it keeps happening, deploy with scanSource=api',
      });
}
