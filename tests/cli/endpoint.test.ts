import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { GenerateCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import type { ScanReport } from '../../src/domain/report/scan-report';
import { startFakeIam, type FakeIam } from '../../tools/fakes/fake-iam-server';
import { credentialReportCsv, serveCredentialReport } from '../support/credential-report-fixture';
import { runCliBinary, runCliInProcess } from '../support/run-cli';
import { temporaryDirectory } from '../support/temp-dir';

const dir = temporaryDirectory('cli-endpoint');

/** A port on which nothing listens: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('stale-iam scan with nothing listening at the endpoint', () => {
  it.each([['credential-report'], ['api']])(
    'fails within 5 s with one line naming the endpoint (--source %s)',
    async (source) => {
      const port = await closedPort();
      const started = Date.now();

      const run = await runCliBinary(['scan', '--source', source], {
        AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDTEST',
        AWS_SECRET_ACCESS_KEY: 'secret',
      });

      expect(Date.now() - started).toBeLessThan(5_000);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `stale-iam: cannot reach http://127.0.0.1:${port} (AWS_ENDPOINT_URL): connection refused; check the endpoint, the network and any proxy\n`,
      );
    },
  );
});

describe('stale-iam scan --profile and --region', () => {
  let fake: FakeIam;
  beforeAll(async () => {
    fake = await startFakeIam({
      users: [{ name: 'alice', createdAt: new Date('2026-01-01T00:00:00Z') }],
      reportPollsBeforeComplete: 0,
    });
  });
  afterAll(() => fake.close());

  const config = path.join(dir, 'config');
  const credentials = path.join(dir, 'credentials');
  beforeAll(() => {
    writeFileSync(config, '[default]\nregion = ap-southeast-2\n\n[profile audit]\nregion = ca-central-1\n');
    writeFileSync(
      credentials,
      '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n' +
        '[audit]\naws_access_key_id = AKIDAUDIT\naws_secret_access_key = s2\n',
    );
  });

  /** The access key and region each request was signed with: `AKIDAUDIT/eu-west-1`. */
  async function signedAs(args: string[]): Promise<string[]> {
    fake.requests.length = 0;
    const run = await runCliBinary(['scan', '--format', 'json', ...args], {
      AWS_ENDPOINT_URL: fake.endpoint,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: credentials,
    });
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as ScanReport).users.map((u) => u.userName)).toEqual(['alice']);
    return [
      ...new Set(
        fake.requests.map((r) =>
          /Credential=(\w+)\/\d{8}\/([\w-]+)\/iam\//.exec(r.authorization)?.slice(1).join('/'),
        ),
      ),
    ].map(String);
  }

  it("signs with the profile's keys, in the profile's region", async () => {
    expect(await signedAs(['--profile', 'audit'])).toEqual(['AKIDAUDIT/ca-central-1']);
  });

  it('signs in the region given, over the profile', async () => {
    expect(await signedAs(['--profile', 'audit', '--region', 'eu-west-1'])).toEqual(['AKIDAUDIT/eu-west-1']);
  });

  it('uses the default profile without the flags', async () => {
    expect(await signedAs([])).toEqual(['AKIDDEFAULT/ap-southeast-2']);
  });
});

describe('stale-iam scan while AWS generates the credential report', () => {
  const csv = credentialReportCsv('123456789012', [{ user: 'alice' }]);
  const scan = (isTTY: boolean) => {
    const iam = mockClient(IAMClient);
    serveCredentialReport(iam, csv);
    iam
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolves({ State: 'COMPLETE' });
    return runCliInProcess(['scan'], {
      iamClient: () => new IAMClient({}),
      isTTY,
      sleep: async () => undefined,
    }).finally(() => iam.restore());
  };

  it('shows on a terminal what it is waiting for, then clears the line', async () => {
    const run = await scan(true);

    expect(run.stderr).toContain('\r\x1b[Kstale-iam: asking IAM for the credential report');
    expect(run.stderr).toContain(
      'stale-iam: waiting for AWS to generate the credential report (STARTED; waited 0 s, next check in 2 s)',
    );
    expect(run.stderr).toContain('(INPROGRESS; waited 2 s, next check in 4 s)');
    expect(run.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(run.code).toBe(0);
  });

  it('prints nothing of it when stderr is not a terminal (a pipe, a CI log)', async () => {
    const run = await scan(false);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
