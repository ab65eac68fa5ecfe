import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { GetLoginProfileCommand, ListAccessKeysCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { PROJECT_ROOT } from '../support/run-cli';
import { temporaryDirectory } from '../support/temp-dir';
import { clientConfig, iamClient } from './support/aws';
import { describeWithEmulator, useMoto } from './support/moto';

/**
 * The AWS CLI recipes of docs/local-run.md, run as written against the emulator, with an AWS CLI
 * that does not read AWS_ENDPOINT_URL by itself (as older v1 and v2 releases do not):
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true makes any release behave so. A command that relied on
 * the variable would go to AWS itself and fail.
 */
const run = promisify(execFile);
const doc = readFileSync(path.join(PROJECT_ROOT, 'docs', 'local-run.md'), 'utf8');
const hasAwsCli = spawnSync('sh', ['-c', 'command -v aws'], { stdio: 'ignore' }).status === 0;
const dir = temporaryDirectory('local-run-doc');

/** The ```sh block of the document that contains `marker`, as written. */
function shellBlock(marker: string): string {
  const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').replace(/^ {3}/gm, ''));
  const block = blocks.find((b) => b.includes(marker));
  if (!block) throw new Error(`docs/local-run.md has no sh block with ${marker}`);
  return block;
}

(hasAwsCli ? describeWithEmulator : describe.skip)('docs/local-run.md: the AWS CLI recipes', () => {
  const moto = useMoto();

  async function bash(script: string): Promise<void> {
    await run('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: dir,
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
        AWS_CONFIG_FILE: path.join(dir, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
        AWS_MAX_ATTEMPTS: '1',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
  }

  const setup = () =>
    shellBlock('create-user --user-name alice').replace('http://127.0.0.1:5000', moto.current.endpoint);

  it('creates the users of step 2 on the emulator', async () => {
    await bash(setup());

    const iam = iamClient(moto.current.endpoint);
    const { Users } = await iam.send(new ListUsersCommand({}));
    expect(Users?.map((u) => u.UserName).sort()).toEqual(['alice', 'build-bot']);
    await expect(iam.send(new GetLoginProfileCommand({ UserName: 'alice' }))).resolves.toBeDefined();
    const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: 'build-bot' }));
    expect(AccessKeyMetadata).toHaveLength(1);
  });

  it("subscribes a queue to the stack's topic and reads from it", async () => {
    const sns = new SNSClient(clientConfig(moto.current.endpoint));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'stale-iam-local' }));
    const mail = shellBlock('sqs create-queue')
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n');
    // The function is defined in step 2's block; the reading recipe uses it.
    const awsl = setup()
      .split('\n')
      .filter((line) => line.startsWith('export ') || line.startsWith('awsl()'))
      .join('\n');

    await bash(`${awsl}\n${mail}`);

    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(Subscriptions?.map((s) => [s.Protocol, s.Endpoint])).toEqual([
      ['sqs', 'arn:aws:sqs:us-east-1:123456789012:stale-iam-mail'],
    ]);
  });
});
