import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ScanReport } from '../../src/domain/report/scan-report';
import { credentialReportCsv, startFakeIam, type FakeIam } from '../../tools/fakes/fake-iam-server';
import { generateUsers } from '../../tools/fakes/generate-users';
import { runCliBinary, type CliRun } from '../support/run-cli';
import { temporaryDirectory } from '../support/temp-dir';

/**
 * The product's central promise: whichever source the verdicts come from, they are the same. The
 * real `stale-iam` binary runs against a loopback IAM endpoint (through AWS_ENDPOINT_URL, as a
 * user would point it at any IAM implementation) holding 450 users of every kind, and against
 * that endpoint's credential report saved as a file.
 */
const NOW = '2026-11-28T00:00:00Z';
const users = generateUsers(450, new Date(NOW));
let fake: FakeIam;
let reportFile: string;
const dir = temporaryDirectory('sources');

beforeAll(async () => {
  fake = await startFakeIam({ users, maxPageSize: 200 });
  reportFile = path.join(dir, 'credential-report.csv');
  writeFileSync(
    reportFile,
    credentialReportCsv('123456789012', users, (u) => `arn:aws:iam::123456789012:user/${u.name}`),
  );
});
afterAll(() => fake.close());

async function scan(args: string[]): Promise<{ run: CliRun; report: ScanReport }> {
  const run = await runCliBinary(['scan', '--format', 'json', '--now', NOW, ...args], {
    AWS_ENDPOINT_URL: fake.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
  });
  if (run.code !== 0) throw new Error(`stale-iam exited ${run.code}: ${run.stderr}`);
  return { run, report: JSON.parse(run.stdout) as ScanReport };
}

/** What must agree: the verdict and the numbers behind it, user by user. Key ids only the API knows. */
function verdicts(report: ScanReport) {
  return report.users.map((u) => ({
    userName: u.userName,
    status: u.status,
    idleDays: u.idleDays,
    lastActivityAt: u.lastActivityAt,
    credentials: u.credentials
      .filter((c) => c.type === 'password' || c.active)
      .map((c) => ({
        type: c.type,
        slot: c.slot,
        referenceAt: c.referenceAt,
        basis: c.basis,
        stale: c.stale,
      })),
  }));
}

describe.each(['all', 'password', 'access-key'])('with --credentials %s', (scope) => {
  it('gives identical verdicts from the IAM API, the credential report and the report file', async () => {
    const api = (await scan(['--source', 'api', '--credentials', scope])).report;
    const live = (await scan(['--source', 'credential-report', '--credentials', scope])).report;
    const file = (await scan(['--credential-report', reportFile, '--credentials', scope])).report;

    expect(api.users).toHaveLength(450);
    expect(api.summary.stale).toBeGreaterThan(20);
    expect(api.summary.active).toBeGreaterThan(20);
    expect(api.summary.noCredentials).toBeGreaterThan(20);
    expect(verdicts(live)).toEqual(verdicts(api));
    expect(verdicts(file)).toEqual(verdicts(api));
    expect(live.summary).toEqual(api.summary);
    expect(file.summary).toEqual(api.summary);
    expect([api.accountId, live.accountId, file.accountId]).toEqual([
      '123456789012',
      '123456789012',
      '123456789012',
    ]);
    expect([api.source, live.source, file.source]).toEqual(['api', 'credential-report', 'file']);
  });
});
