import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ScanResult } from '../../src/contracts/scan-result';
import { main } from '../../src/cli/main';
import { createDisableHandler } from '../../src/functions/disable/handler';
import { createScanHandler } from '../../src/functions/scan/handler';
import { logger } from '../../src/lib/logger';
import { defaultSettingsEnvironment } from '../support/function-environment';
import { contextFor } from '../support/lambda-context';
import { DEFAULT_ACCOUNT_ID, clientConfig, iamClient } from './support/aws';
import { describeWithEmulator, useMoto } from './support/moto';

/**
 * The disable step against a real implementation of the AWS wire protocols (moto): the scan
 * handler writes its report to a versioned bucket, the disable handler reads SSM live, reads
 * exactly the version the scan wrote, deletes login profiles and deactivates keys in IAM, and keeps
 * its audit trail with If-None-Match. moto cannot backdate anything, so both run as of a later
 * instant (their injected clocks): credentials created now are then long unused.
 *
 * The re-check of a password reads the account's credential report over the wire (its
 * `password_last_changed`). moto 5.2.2 does not reflect an administrator's reset there: its
 * credential report writes the user's creation time as `password_last_changed` for every user
 * (moto/iam/models.py, User.to_csv), and UpdateLoginProfile changes only the password and its
 * reset flag (IAMBackend.update_login_profile). So a reset cannot be shown on this wire; the unit
 * tests (tests/functions/disable, tests/domain/remediation/execute.test.ts, aws-sdk-client-mock) and
 * the CLI test through the loopback IAM fake, which models it (tests/cli/disable-command.test.ts),
 * prove that a reset password is kept.
 */

const DAY_MS = 86_400_000;
const BUCKET = 'stale-iam-emulator-reports';
const STAGE = 'emu';
const PARAMETERS = {
  thresholdDays: `/stale-iam/${STAGE}/threshold-days`,
  mode: `/stale-iam/${STAGE}/remediation-mode`,
  keys: `/stale-iam/${STAGE}/deactivate-access-keys`,
};
const USERS = ['console-1', 'console-2', 'both.kinds', 'key-only', 'tagged'];

describeWithEmulator('the disable step against the emulator', () => {
  const moto = useMoto();
  let iam: IAMClient;
  let s3: S3Client;
  let ssm: SSMClient;
  const savedEnv = { ...process.env };
  /** A day far enough ahead that every credential created now is stale at 90 days. */
  let later: Date;

  beforeAll(() => {
    logger.setLogLevel('SILENT');
  });

  beforeEach(async () => {
    await moto.current.reset();
    // @middy/ssm (the scan's threshold) builds its own client from the environment.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.current.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'emulator-secret',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const config = clientConfig(moto.current.endpoint);
    iam = new IAMClient(config);
    s3 = new S3Client(config);
    ssm = new SSMClient(config);
    later = new Date(Date.now() + 120 * DAY_MS);

    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await setParameter(PARAMETERS.thresholdDays, '90');
    await setParameter(PARAMETERS.mode, 'enforce');
    await setParameter(PARAMETERS.keys, 'true');
    for (const name of USERS) await iam.send(new CreateUserCommand({ UserName: name }));
    for (const name of ['console-1', 'console-2', 'both.kinds', 'tagged']) {
      await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: 'Emulator-Passw0rd!' }));
    }
    for (const name of ['both.kinds', 'key-only'])
      await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    await iam.send(
      new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'Stale-IAM:Exempt', Value: 'TRUE' }] }),
    );
  });

  afterEach(() => {
    for (const client of [iam, s3, ssm]) client.destroy();
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
    Object.assign(process.env, savedEnv);
  });

  async function setParameter(name: string, value: string): Promise<void> {
    await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));
  }

  /** Caps out of the way: every user here becomes stale at once (the caps are unit-tested). */
  const disableEnv = {
    ...defaultSettingsEnvironment('disable'),
    REPORT_BUCKET: BUCKET,
    THRESHOLD_DAYS_PARAMETER: PARAMETERS.thresholdDays,
    REMEDIATION_MODE_PARAMETER: PARAMETERS.mode,
    DEACTIVATE_ACCESS_KEYS_PARAMETER: PARAMETERS.keys,
    ACCESS_KEY_DEACTIVATION: 'true',
    MAX_ACTIONS: '100',
    MAX_PERCENT: '100',
  };

  function context(requestId: string) {
    return contextFor({
      awsRequestId: requestId,
      invokedFunctionArn: `arn:aws:lambda:us-east-1:${DEFAULT_ACCOUNT_ID}:function:stale-iam-${STAGE}-disable`,
      getRemainingTimeInMillis: () => 900_000,
    });
  }

  async function scanAt(at: Date): Promise<ScanResult> {
    const handler = createScanHandler({
      iam,
      s3,
      clock: () => at,
      env: {
        ...defaultSettingsEnvironment('scan'),
        REPORT_BUCKET: BUCKET,
        THRESHOLD_DAYS_PARAMETER: PARAMETERS.thresholdDays,
      },
    });
    return handler({}, contextFor({ awsRequestId: `scan-${at.getTime()}` }));
  }

  function disableAt(at: Date, clients: { s3?: S3Client } = {}) {
    return createDisableHandler({ iam, s3: clients.s3 ?? s3, ssm, clock: () => at, env: disableEnv });
  }

  async function hasLoginProfile(userName: string): Promise<boolean> {
    try {
      await iam.send(new GetLoginProfileCommand({ UserName: userName }));
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'NoSuchEntityException') return false;
      throw error;
    }
  }

  async function keyStatuses(userName: string): Promise<string[]> {
    const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
    return (AccessKeyMetadata ?? []).map((k) => k.Status ?? '?');
  }

  async function auditKeys(): Promise<string[]> {
    const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'audit/' }));
    return (Contents ?? []).map((c) => c.Key ?? '').sort();
  }

  async function jsonLines(key: string): Promise<Record<string, unknown>[]> {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const text = (await Body?.transformToString()) ?? '';
    return text
      .split('\n')
      .filter((l) => l)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  it('removes the stale passwords and deactivates the stale keys in IAM, sparing the user tagged exempt, and writes the trail ahead', async () => {
    const warnings = jest.spyOn(console, 'warn');
    const scan = await scanAt(later);

    const result = await disableAt(new Date(later.getTime() + 60_000))(scan, context('enforce-run'));

    expect(scan.report.versionId).toEqual(expect.any(String));
    expect(result.remediation.counts).toEqual({ deleted: 3, deactivated: 2, exempt: 1 });
    for (const name of ['console-1', 'console-2', 'both.kinds'])
      expect(await hasLoginProfile(name)).toBe(false);
    expect(await hasLoginProfile('tagged')).toBe(true);
    expect(await keyStatuses('both.kinds')).toEqual(['Inactive']);
    expect(await keyStatuses('key-only')).toEqual(['Inactive']);
    const keys = await auditKeys();
    expect(keys.filter((k) => k.endsWith('-intent.json'))).toHaveLength(5);
    expect(keys.filter((k) => k.endsWith('-outcome.json'))).toHaveLength(5);
    const records = (await jsonLines(result.remediation.auditKey)).filter((l) => l.kind === 'record');
    expect(records.find((r) => r.userName === 'console-1')?.undo).toBe(
      "aws iam create-login-profile --user-name='console-1' --password '<new temporary password>' --password-reset-required",
    );
    // No "Stream of unknown length" or other SDK warning in the function's logs.
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
  });

  it("re-checks each password against the credential report's password_last_changed, read over the wire", async () => {
    const scan = await scanAt(later);

    const result = await disableAt(new Date(later.getTime() + 60_000))(scan, context('report-run'));

    const records = (await jsonLines(result.remediation.auditKey)).filter((l) => l.kind === 'record');
    const before = records.find((r) => r.userName === 'console-1')?.before as Record<string, unknown>;
    const { User } = await iam.send(new GetUserCommand({ UserName: 'console-1' }));
    // moto writes the user's creation (to the second) as password_last_changed.
    const created = new Date(Math.floor((User?.CreateDate?.getTime() ?? NaN) / 1000) * 1000);
    expect(before.passwordLastChanged).toBe(created.toISOString());
    expect(before.credentialReportGeneratedAt).toEqual(expect.any(String));
    expect(records.find((r) => r.userName === 'console-1')?.outcome).toBe('deleted');
  });

  it('plans exactly what `stale-iam disable` plans on the same account', async () => {
    await setParameter(PARAMETERS.mode, 'dry-run');
    const at = new Date(later.getTime() + 60_000);
    const service = await disableAt(at)(await scanAt(at), context('service-plan'));
    const serviceDecisions = (await jsonLines(service.remediation.auditKey))
      .filter((l) => l.kind === 'record')
      .map(decision)
      .sort();
    const scratch = mkdtempSync(path.join(tmpdir(), 'stale-iam-emulator-parity-'));
    let stdout = '';
    let stderr = '';

    const code = await main(
      [
        'disable',
        '--credentials',
        'all',
        '--max-actions',
        '100',
        '--max-percent',
        '100',
        '--now',
        at.toISOString(),
        '--audit-file',
        path.join(scratch, 'audit.jsonl'),
      ],
      {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text), isTTY: false },
        clock: () => new Date(),
        iamClient: () => iamClient(moto.current.endpoint),
      },
    );
    rmSync(scratch, { recursive: true, force: true });

    expect([code, stderr.includes('stale-iam: ')]).toEqual([0, false]);
    const cliDecisions = stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.kind === 'record')
      .map(decision)
      .sort();
    expect(cliDecisions).toEqual(serviceDecisions);
    expect(serviceDecisions).toEqual([
      'both.kinds access-key deactivate-access-key would-deactivate',
      'both.kinds password delete-login-profile would-delete',
      'console-1 password delete-login-profile would-delete',
      'console-2 password delete-login-profile would-delete',
      'key-only access-key deactivate-access-key would-deactivate',
      'tagged password delete-login-profile exempt',
    ]);
  });

  it('reads the version the scan wrote, not a report written to the same key since', async () => {
    const scan = await scanAt(later);
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: scan.report.key }));
    const tampered = JSON.parse((await Body?.transformToString()) ?? '{}') as {
      users: { userName: string; status: string }[];
    };
    tampered.users = tampered.users.map((u) => ({
      ...u,
      status: u.userName === 'console-1' ? 'exempt' : u.status,
    }));
    const overwrite = await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: scan.report.key, Body: JSON.stringify(tampered) }),
    );

    const result = await disableAt(new Date(later.getTime() + 60_000))(scan, context('versioned-read'));

    expect(overwrite.VersionId).not.toBe(scan.report.versionId);
    expect(await hasLoginProfile('console-1')).toBe(false);
    expect(result.remediation.counts.deleted).toBe(3);
  });

  it('takes dry-run set in SSM into account on the very next invocation of the same function', async () => {
    let now = new Date();
    const handler = createDisableHandler({ iam, s3, ssm, clock: () => now, env: disableEnv });
    // A first run in enforce, with nothing stale yet: the function is warm and has read "enforce".
    const quiet = await handler(await scanAt(now), context('warm-up'));
    expect(quiet.remediation).toEqual(expect.objectContaining({ mode: 'enforce', counts: {} }));

    await setParameter(PARAMETERS.mode, 'dry-run');
    const scan = await scanAt(later);
    now = new Date(later.getTime() + 60_000);
    const second = await handler(scan, context('right-after'));

    expect(second.remediation.mode).toBe('dry-run');
    expect(second.remediation.counts).toEqual({ 'would-delete': 3, 'would-deactivate': 2, exempt: 1 });
    expect(await hasLoginProfile('console-1')).toBe(true);
    expect(await keyStatuses('key-only')).toEqual(['Active']);
  });

  it('refuses a report whose threshold is not the one in SSM now, acting on nobody', async () => {
    const scan = await scanAt(later);
    await setParameter(PARAMETERS.thresholdDays, '365');

    await expect(disableAt(new Date(later.getTime() + 60_000))(scan, context('refused'))).rejects.toThrow(
      'it was judged with a threshold of 90 days, but the threshold in SSM is 365 days now; no IAM change was made',
    );
    expect(await hasLoginProfile('console-1')).toBe(true);
    expect(await auditKeys()).toEqual([]);
  });

  it('keeps both audit trails of two runs in the same second', async () => {
    await setParameter(PARAMETERS.mode, 'dry-run');
    const scan = await scanAt(later);
    const at = new Date(later.getTime() + 60_000);

    const first = await disableAt(at)(scan, context('11111111-aaaa'));
    const second = await disableAt(at)(scan, context('22222222-bbbb'));

    expect(first.remediation.auditKey).not.toBe(second.remediation.auditKey);
    expect((await auditKeys()).filter((k) => k.endsWith('records.jsonl'))).toEqual(
      [first.remediation.auditKey, second.remediation.auditKey].sort(),
    );
  });

  it('overwrites nothing: S3 refuses (412) an audit object that exists, and the run writes nothing to IAM', async () => {
    await setParameter(PARAMETERS.mode, 'dry-run');
    const scan = await scanAt(later);
    const at = new Date(later.getTime() + 60_000);
    const trail = (await disableAt(at)(scan, context('dry-first'))).remediation.auditKey; // learn the folder
    const folder = trail.replace('dry-first/records.jsonl', 'planted/');
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `${folder}0001-intent.json`, Body: '{"planted":true}' }),
    );
    await setParameter(PARAMETERS.mode, 'enforce');

    const result = await disableAt(at)(scan, context('planted'));

    expect(result.remediation.counts.failed).toBe(1);
    expect(result.remediation.counts.deleted).toBeUndefined();
    expect(await hasLoginProfile('console-1')).toBe(true);
    const kept = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${folder}0001-intent.json` }));
    expect(await kept.Body?.transformToString()).toBe('{"planted":true}');
  });

  it('leaves an intent when killed after its first delete, and the next run reports the outcome as unknown', async () => {
    const scan = await scanAt(later);
    // This S3 client never completes an outcome write: the Lambda is killed right after the delete.
    const killing = new S3Client(clientConfig(moto.current.endpoint));
    const hung: ((error: Error) => void)[] = [];
    killing.middlewareStack.add(
      (next, context) => async (args) => {
        const input = (args.input ?? {}) as { Key?: string };
        if (context.commandName === 'PutObjectCommand' && input.Key?.endsWith('-outcome.json')) {
          return new Promise<never>((_, reject) => hung.push(reject));
        }
        return next(args);
      },
      { step: 'initialize', name: 'killedAfterTheFirstWrite' },
    );
    const killed = disableAt(new Date(later.getTime() + 60_000), { s3: killing })(
      scan,
      context('killed-run'),
    );
    await waitFor(async () => (await auditKeys()).some((k) => k.endsWith('0001-intent.json')));
    await waitFor(
      async () => !(await hasLoginProfile('both.kinds')) || !(await hasLoginProfile('console-1')),
    );
    const intents = (await auditKeys()).filter((k) => k.endsWith('-intent.json'));
    expect(intents).toHaveLength(1);
    expect((await auditKeys()).filter((k) => k.endsWith('-outcome.json'))).toEqual([]);

    const nextDay = new Date(later.getTime() + DAY_MS);
    const next = await disableAt(new Date(nextDay.getTime() + 60_000))(
      await scanAt(nextDay),
      context('next-run'),
    );

    expect(next.remediation.counts['outcome-unknown']).toBe(1);
    const unknown = next.remediation.items.find((i) => i.outcome === 'outcome-unknown');
    expect(unknown?.reason).toEqual(
      expect.objectContaining({ code: 'outcome-unknown', runId: 'killed-run' }),
    );
    const settled = intents[0]?.replace('-intent.json', '-outcome.json') ?? '';
    expect(await jsonLines(settled)).toEqual([
      expect.objectContaining({ outcome: 'outcome-unknown', settledBy: 'next-run' }),
    ]);
    // Done with the killed run: end its hung write so that it leaves no timer behind.
    for (const fail of hung) fail(new Error('the Lambda was killed'));
    await killed.catch(() => undefined);
    killing.destroy();
  });
});

/** One credential's decision, as the service and the CLI write it in their audit lines. */
function decision(record: Record<string, unknown>): string {
  const credential = record.credential as { type: string };
  return `${String(record.userName)} ${credential.type} ${String(record.action)} ${String(record.outcome)}`;
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the condition never held');
}
