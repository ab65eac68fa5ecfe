import type { IAMClient } from '@aws-sdk/client-iam';
import { CredentialReportFileSource } from '../adapters/credential-report/file-source';
import { CredentialReportSource } from '../adapters/credential-report/source';
import { IamApiSource } from '../adapters/iam/api-source';
import { IamExemptionDirectory } from '../adapters/iam/exemption-directory';
import type { UserSource } from '../domain/scan/ports';
import type { ExemptionDirectory } from '../domain/scan/scan-account';
import { AwsReadError } from '../lib/errors';
import { EXEMPT_TAG_KEY } from '../settings/table';
import type { CliIo } from './io';
import type { ScanSourceChoice } from './options';

/**
 * The source a scan reads, as the flags chose it; a live one reads through `client` (one account).
 * A file warns when it is old relative to `judgedAsOf`, the instant the scan judges as of.
 */
export function makeSource(
  choice: ScanSourceChoice,
  client: IAMClient | undefined,
  io: CliIo,
  judgedAsOf: Date,
): UserSource {
  if (choice.kind === 'file') return new CredentialReportFileSource(choice.path, { judgedAsOf });
  if (!client) throw new Error('a live source needs an IAM client');
  return choice.kind === 'credential-report'
    ? new CredentialReportSource({
        client,
        whenNotReady: 'try again later, or use --source api',
        ...(io.sleep ? { sleep: io.sleep } : {}),
      })
    : new IamApiSource({ client, concurrency: choice.concurrency });
}

/**
 * IAM's tags and groups of every user, as the scan function reads them; a refusal says what to do
 * (`remedy`: what the command offers).
 */
export function exemptionDirectory(
  client: IAMClient,
  remedy = 'allow iam:GetAccountAuthorizationDetails, or pass --ignore-exempt-tag',
): ExemptionDirectory {
  const directory = new IamExemptionDirectory(client);
  return {
    readAll: () =>
      directory.readAll().catch((error: unknown) => {
        if (!(error instanceof AwsReadError)) throw error;
        throw new AwsReadError(
          `${error.message} (the CLI reads them to honour the ${EXEMPT_TAG_KEY} tag as the service does: ${remedy})`,
          { cause: error },
        );
      }),
    deletedOf: (userNames) => directory.deletedOf(userNames),
  };
}
