import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { main } from '../../src/cli/main';
import { createDisableHandler } from '../../src/functions/disable/handler';
import { createScanHandler } from '../../src/functions/scan/handler';
import { logger } from '../../src/lib/logger';
import { generateUsers } from '../../tools/fakes/generate-users';
import { startFakeAws, type FakeAws, type FakeAwsUser } from '../support/fake-aws-server';
import { defaultSettingsEnvironment } from '../support/function-environment';
import { contextFor } from '../support/lambda-context';
import { loopbackIamClient } from '../support/loopback-iam-client';

/**
 * `stale-iam disable` runs the service's plan: on the same account, with the same settings, the
 * CLI (flags) and the service (the scan and disable functions, their environment and SSM) decide
 * the same thing for every credential. Both talk to one loopback endpoint over the real wire
 * protocols; users are backdated, exempt by tag, by group and by name.
 */

const NOW = new Date('2026-11-28T00:00:00Z');
const BUCKET = 'stale-iam-parity-reports';
const PARAMETERS = {
  threshold: '/stale-iam/parity/threshold-days',
  mode: '/stale-iam/parity/remediation-mode',
};
let fake: FakeAws;
let dir: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  logger.setLogLevel('SILENT');
  const users: FakeAwsUser[] = generateUsers(120, NOW);
  const threshold = NOW.getTime() - 91 * 86_400_000;
  const stalePasswords = users.filter(
    (u) =>
      u.loginProfile &&
      Math.max(u.passwordLastUsedAt?.getTime() ?? 0, u.loginProfile.createdAt.getTime()) < threshold,
  );
  const [tagged, grouped, named] = stalePasswords;
  if (!tagged || !grouped || !named) throw new Error('too few console users');
  tagged.tags = { 'STALE-IAM:EXEMPT': 'true' };
  grouped.groups = ['break-glass'];
  fake = await startFakeAws({
    users,
    buckets: [BUCKET],
    versionedBuckets: [BUCKET],
    parameters: { [PARAMETERS.threshold]: '90', [PARAMETERS.mode]: 'dry-run' },
  });
  exemptName = named.name;
  exemptByTagOrGroup = [tagged, grouped].map((u) => `${u.name} password delete-login-profile exempt`);
  dir = mkdtempSync(path.join(tmpdir(), 'stale-iam-parity-'));
  // @middy/ssm (the scan's threshold) builds its own client from the environment.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDPARITY',
    AWS_SECRET_ACCESS_KEY: 'parity-secret',
  });
});

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

let exemptName = '';
let exemptByTagOrGroup: string[] = [];

const clientConfig = () => ({
  endpoint: fake.endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIDPARITY', secretAccessKey: 'parity-secret' },
});

/** One credential's decision, as both write it in their audit lines. */
function decision(record: Record<string, unknown>): string {
  const credential = record.credential as { type: string; slot: number | null };
  return `${String(record.userName)} ${credential.type} ${String(record.action)} ${String(record.outcome)}`;
}

function recordLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.kind === 'record');
}

async function servicePlan(): Promise<string[]> {
  const iam = loopbackIamClient(fake.endpoint);
  const s3 = new S3Client(clientConfig());
  const exemptions = {
    EXEMPT_USER_NAMES: JSON.stringify([exemptName]),
    EXEMPT_GROUP_NAMES: '["break-glass"]',
    EXEMPT_PATH_PREFIXES: '[]',
  };
  const scan = await createScanHandler({
    iam,
    s3,
    clock: () => NOW,
    env: {
      ...defaultSettingsEnvironment('scan'),
      ...exemptions,
      REPORT_BUCKET: BUCKET,
      THRESHOLD_DAYS_PARAMETER: PARAMETERS.threshold,
    },
  })({}, contextFor({ awsRequestId: 'parity-scan' }));
  const result = await createDisableHandler({
    iam,
    s3,
    ssm: new SSMClient(clientConfig()),
    clock: () => NOW,
    env: {
      ...defaultSettingsEnvironment('disable'),
      ...exemptions,
      REPORT_BUCKET: BUCKET,
      THRESHOLD_DAYS_PARAMETER: PARAMETERS.threshold,
      REMEDIATION_MODE_PARAMETER: PARAMETERS.mode,
      MAX_ACTIONS: '1000',
      MAX_PERCENT: '100',
    },
  })(scan, contextFor({ awsRequestId: 'parity-disable' }));
  return recordLines(fake.objectText(BUCKET, result.remediation.auditKey) ?? '')
    .map(decision)
    .sort();
}

async function cliPlan(): Promise<string[]> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    [
      'disable',
      '--exempt-users',
      exemptName,
      '--exempt-groups',
      '["break-glass"]',
      '--max-actions',
      '1000',
      '--max-percent',
      '100',
      '--audit-file',
      path.join(dir, 'cli-audit.jsonl'),
    ],
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text), isTTY: false },
      clock: () => NOW,
      iamClient: () => loopbackIamClient(fake.endpoint),
    },
  );
  if (code !== 0) throw new Error(`stale-iam disable exited with ${code}: ${stderr}`);
  return recordLines(stdout).map(decision).sort();
}

describe('stale-iam disable and the service on the same account', () => {
  it('decide the same for every credential: the identical plan, exemptions and re-check included', async () => {
    const service = await servicePlan();
    const cli = await cliPlan();

    expect(cli).toEqual(service);
    // Not agreement by saying nothing: both plan deletions and both spare each kind of exemption.
    expect(service.filter((d) => d.endsWith('would-delete')).length).toBeGreaterThan(5);
    expect(service.filter((d) => d.endsWith(' password delete-login-profile exempt'))).toEqual(
      [`${exemptName} password delete-login-profile exempt`, ...exemptByTagOrGroup].sort(),
    );
    expect(fake.requestsOf('iam', 'DeleteLoginProfile')).toEqual([]);
  });
});
