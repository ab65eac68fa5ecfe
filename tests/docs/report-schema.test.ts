import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  GetLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { PROJECT_ROOT, runCliInProcess, sampleScanArgs } from '../support/run-cli';
import { awsError } from '../support/rejection';
import { sdkUser, sdkUserDetail } from '../support/iam-sdk-builders';

/**
 * docs/report-schema.md against what stale-iam really prints: every field it documents appears in a
 * real report, and every field of a real report is documented; the same for the CSV's columns, in order.
 */
const doc = readFileSync(path.join(PROJECT_ROOT, 'docs', 'report-schema.md'), 'utf8');

/** The names in the first column of the table under `## heading` (`userName`, `arn` count as two). */
function documented(heading: string): string[] {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section "## ${heading}"`);
  const end = doc.indexOf('\n## ', start + 1);
  const rows = doc
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''));
}

type Json = Record<string, unknown>;

/** The sample with an exempt user (exemptReason, access keys with createdAt), as JSON and CSV. */
async function sampleRun(format: 'json' | 'csv'): Promise<string> {
  const run = await runCliInProcess(sampleScanArgs('--exempt-users', 'terraform', '--format', format));
  expect(run.code).toBe(0);
  return run.stdout;
}

/** A live scan where one user cannot be read (error) and one has a password and a key. */
async function liveRunWithAnError(): Promise<Json> {
  const iam = mockClient(IAMClient);
  try {
    iam.on(ListUsersCommand).resolves({ Users: [sdkUser('alice'), sdkUser('locked')], IsTruncated: false });
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({
      UserDetailList: [sdkUserDetail('alice'), sdkUserDetail('locked')],
      IsTruncated: false,
    });
    iam.on(GetLoginProfileCommand, { UserName: 'alice' }).resolves({
      LoginProfile: { UserName: 'alice', CreateDate: new Date('2026-01-01T00:00:00Z') },
    });
    iam
      .on(GetLoginProfileCommand, { UserName: 'locked' })
      .rejects(awsError('AccessDenied', 'not authorized'));
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [], IsTruncated: false });
    const run = await runCliInProcess(['scan', '--source', 'api', '--format', 'json'], {
      iamClient: () => new IAMClient({}),
    });
    expect(run.code).toBe(3);
    return JSON.parse(run.stdout) as Json;
  } finally {
    iam.restore();
  }
}

function keysOf(objects: readonly Json[]): string[] {
  return [...new Set(objects.flatMap((o) => Object.keys(o)))].sort();
}

describe('docs/report-schema.md', () => {
  let reports: Json[];
  beforeAll(async () => {
    reports = [JSON.parse(await sampleRun('json')) as Json, await liveRunWithAnError()];
  });
  const users = () => reports.flatMap((r) => r.users as Json[]);

  it('documents exactly the top-level fields of a real report', () => {
    expect(documented('Top level').sort()).toEqual(keysOf(reports));
  });

  it('documents exactly the summary counts', () => {
    expect(documented('summary').sort()).toEqual(keysOf(reports.map((r) => r.summary as Json)));
  });

  it('documents exactly the fields of users[], exemptReason and error included', () => {
    expect(documented('users[]').sort()).toEqual(keysOf(users()));
    expect(documented('users[]')).toEqual(expect.arrayContaining(['exemptReason', 'error']));
  });

  it('documents exactly the fields of users[].credentials[], the access key createdAt included', () => {
    const credentials = users().flatMap((u) => u.credentials as Json[]);

    expect(documented('users[].credentials[]').sort()).toEqual(keysOf(credentials));
    expect(documented('users[].credentials[]')).toContain('createdAt');
  });

  it('documents every CSV column, in order', async () => {
    const header = (await sampleRun('csv')).split('\n')[0]?.split(',');

    expect(documented('The CSV')).toEqual(header);
  });

  it('shows an example that uses only documented fields', () => {
    const example = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(doc)?.[1] ?? '{}') as Json;
    const exampleUsers = example.users as Json[];

    expect(keysOf([example]).every((k) => documented('Top level').includes(k))).toBe(true);
    expect(keysOf(exampleUsers).every((k) => documented('users[]').includes(k))).toBe(true);
    expect(
      keysOf(exampleUsers.flatMap((u) => u.credentials as Json[])).every((k) =>
        documented('users[].credentials[]').includes(k),
      ),
    ).toBe(true);
  });
});
