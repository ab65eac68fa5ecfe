import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  type IAMClient,
  type UserDetail,
} from '@aws-sdk/client-iam';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { CREDENTIAL_REPORT_HEADER } from '../../tools/fakes/fake-iam-server';

export { CREDENTIAL_REPORT_HEADER };

export interface ReportRow {
  user: string;
  createdAt?: string;
  /** A console password: when it was set and when it was last used (null: never). */
  password?: { setAt: string; lastUsedAt: string | null };
  key1?: { active: boolean; createdAt: string; lastUsedAt: string | null };
  key2?: { active: boolean; createdAt: string; lastUsedAt: string | null };
}

/** A credential report CSV for one account, root row first, as GetCredentialReport returns it. */
export function credentialReportCsv(accountId: string, rows: readonly ReportRow[]): string {
  const root = [
    '<root_account>',
    `arn:aws:iam::${accountId}:root`,
    '2019-03-01T00:00:00+00:00',
    'not_supported',
    '2026-11-01T08:00:00+00:00',
    'not_supported',
    'not_supported',
    'true',
    'false',
    'N/A',
    'N/A',
    'N/A',
    'N/A',
    'false',
    'N/A',
    'N/A',
    'N/A',
    'N/A',
    'false',
    'N/A',
    'false',
    'N/A',
  ];
  const keyCells = (key: ReportRow['key1']) =>
    key
      ? [
          String(key.active),
          key.createdAt,
          key.lastUsedAt ?? 'N/A',
          key.lastUsedAt ? 'us-east-1' : 'N/A',
          key.lastUsedAt ? 'iam' : 'N/A',
        ]
      : ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const userRow = (row: ReportRow) => [
    row.user,
    `arn:aws:iam::${accountId}:user/${row.user}`,
    row.createdAt ?? '2021-01-19T02:00:14+00:00',
    row.password ? 'true' : 'false',
    row.password ? (row.password.lastUsedAt ?? 'no_information') : 'N/A',
    row.password ? row.password.setAt : 'N/A',
    'N/A',
    'false',
    ...keyCells(row.key1),
    ...keyCells(row.key2),
    'false',
    'N/A',
    'false',
    'N/A',
  ];
  return [CREDENTIAL_REPORT_HEADER.join(','), root.join(','), ...rows.map((r) => userRow(r).join(','))]
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * IAM answers GenerateCredentialReport with COMPLETE and GetCredentialReport with this CSV, and
 * GetAccountAuthorizationDetails (the scan's exemption lookup) with the same users, untagged and in
 * no group, unless `directory` says otherwise.
 */
export function serveCredentialReport(
  iam: AwsClientStub<IAMClient>,
  csv: string,
  generatedAt = new Date('2026-11-27T22:14:05Z'),
  directory?: UserDetail[],
): void {
  const names = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0] ?? '')
    .filter((name) => name !== '<root_account>');
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({
    UserDetailList: directory ?? names.map((UserName) => ({ UserName, Path: '/', Tags: [], GroupList: [] })),
    IsTruncated: false,
  });
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).resolves({
    Content: new TextEncoder().encode(csv),
    GeneratedTime: generatedAt,
    ReportFormat: 'text/csv',
  });
}
