import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import type { ScanReportJson } from '../../src/domain/report/scan-report';
import { runCliBinary } from '../support/run-cli';
import { cliEnvironment, iamClient } from './support/aws';
import { describeWithEmulator, useMoto } from './support/moto';

/**
 * The CLI against a real implementation of the IAM wire protocol (moto): users, login profiles and
 * keys created through the API, read back through both live sources. moto cannot backdate anything,
 * so "stale" is reached by evaluating as of a later instant (--now).
 */

const DAY_MS = 86_400_000;

describeWithEmulator('stale-iam scan against the emulator, one account', () => {
  const moto = useMoto();

  beforeAll(async () => {
    const iam = iamClient(moto.current.endpoint);
    for (const name of ['console-user', 'key-user', 'inactive-key-user', 'no-credentials', 'both.kinds']) {
      await iam.send(new CreateUserCommand({ UserName: name }));
    }
    await iam.send(
      new CreateLoginProfileCommand({ UserName: 'console-user', Password: 'Emulator-Passw0rd!' }),
    );
    await iam.send(new CreateLoginProfileCommand({ UserName: 'both.kinds', Password: 'Emulator-Passw0rd!' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'key-user' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'both.kinds' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'inactive-key-user' }));
    await iam.send(
      new UpdateAccessKeyCommand({
        UserName: 'inactive-key-user',
        AccessKeyId: AccessKey?.AccessKeyId,
        Status: 'Inactive',
      }),
    );
  });

  async function scan(source: string, nowOffsetDays: number): Promise<Record<string, string>> {
    const now = new Date(Date.now() + nowOffsetDays * DAY_MS).toISOString();
    const run = await runCliBinary(
      ['scan', '--source', source, '--format', 'json', '--now', now],
      cliEnvironment(moto.current.endpoint),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ScanReportJson;
    expect(report.accountId).toBe('123456789012');
    return Object.fromEntries(report.users.map((u) => [u.userName, u.status]));
  }

  it.each(['api', 'credential-report'])(
    'judges freshly created credentials active today through --source %s',
    async (source) => {
      expect(await scan(source, 1)).toEqual({
        'both.kinds': 'active',
        'console-user': 'active',
        'inactive-key-user': 'no-credentials',
        'key-user': 'active',
        'no-credentials': 'no-credentials',
      });
    },
  );

  it.each(['api', 'credential-report'])(
    'judges never-used credentials stale once their creation is more than 90 days old, through --source %s',
    async (source) => {
      expect(await scan(source, 91)).toEqual({
        'both.kinds': 'stale',
        'console-user': 'stale',
        'inactive-key-user': 'no-credentials',
        'key-user': 'stale',
        'no-credentials': 'no-credentials',
      });
    },
  );
});
