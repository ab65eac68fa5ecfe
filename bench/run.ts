/**
 * `npm run bench`: speed and memory of the paths that grow with the account, measured here and never
 * asserted in unit tests. Prints one line per case: users, wall time, IAM requests, heap growth.
 */
import { createIamClient } from '../src/adapters/aws-clients';
import { CredentialReportSource } from '../src/adapters/credential-report-source';
import { parseCredentialReport } from '../src/adapters/credential-report-csv';
import { IamApiSource } from '../src/adapters/iam-api-source';
import { evaluateUsers } from '../src/domain/evaluate-users';
import { buildOperatorMessage } from '../src/domain/notification';
import { buildScanReport } from '../src/domain/scan-report';
import { credentialReportCsv, startFakeIam } from '../tests/support/fake-iam-server';
import { generateUsers } from '../tests/support/generate-users';

const NOW = new Date('2026-11-28T00:00:00Z');
const settings = { thresholdDays: 90, now: NOW, scope: 'all' as const };

async function measure(name: string, users: number, work: () => Promise<number | void>): Promise<void> {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const requests = await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  console.log(
    `${name.padEnd(44)} users=${String(users).padStart(6)}  time=${ms.toFixed(1).padStart(8)} ms` +
      (typeof requests === 'number' ? `  iam_requests=${String(requests).padStart(5)}` : '') +
      `  heap_delta=${heapMb.toFixed(1)} MB`,
  );
}

async function main(): Promise<void> {
  for (const count of [1_000, 5_000, 20_000]) {
    const csv = credentialReportCsv(
      '123456789012',
      generateUsers(count, NOW),
      (u) => `arn:aws:iam::123456789012:user/${u.name}`,
    );
    await measure('parse + evaluate credential report CSV', count, async () => {
      const parsed = parseCredentialReport(csv);
      const verdicts = evaluateUsers(parsed.users, settings);
      buildScanReport(verdicts, {
        generatedAt: NOW,
        evaluatedAt: NOW,
        thresholdDays: 90,
        credentialScope: 'all',
        source: 'file',
        accountId: parsed.accountId,
        credentialReportGeneratedAt: null,
      });
    });
  }

  for (const count of [500, 2_000]) {
    const users = generateUsers(count, NOW);
    for (const [label, makeSource] of [
      [
        'api source (loopback IAM, concurrency 8)',
        (client: ReturnType<typeof createIamClient>) => new IamApiSource({ client }),
      ],
      [
        'credential-report source (loopback IAM)',
        (client: ReturnType<typeof createIamClient>) =>
          new CredentialReportSource({ client, sleep: async () => undefined }),
      ],
    ] as const) {
      const fake = await startFakeIam({ users, maxPageSize: 1000, reportPollsBeforeComplete: 0 });
      const client = createIamClient({
        overrides: {
          endpoint: fake.endpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        },
      });
      await measure(label, count, async () => {
        await makeSource(client).read({ scope: 'all' });
        return fake.requests.length;
      });
      await fake.close();
    }
  }

  const many = generateUsers(5_000, NOW).map((u) => ({
    ...u,
    loginProfile: { createdAt: new Date('2024-01-01T00:00:00Z') },
  }));
  const parsed = parseCredentialReport(
    credentialReportCsv('123456789012', many, (u) => `arn:aws:iam::123456789012:user/${u.name}`),
  );
  const report = buildScanReport(evaluateUsers(parsed.users, settings), {
    generatedAt: NOW,
    evaluatedAt: NOW,
    thresholdDays: 90,
    credentialScope: 'all',
    source: 'file',
    accountId: parsed.accountId,
    credentialReportGeneratedAt: null,
  });
  for (const language of ['en', 'ja'] as const) {
    await measure(`operator email, ${report.summary.stale} stale users (${language})`, 5_000, async () => {
      buildOperatorMessage(report, {
        language,
        location: { bucket: 'b', key: 'k.json', csvKey: 'k.csv' },
        notifyWhenClean: false,
      });
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
