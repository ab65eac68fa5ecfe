import { buildOperatorMessage } from '../src/domain/notification/message';
import { credentialReportCsv, type FakeUser } from '../tools/fakes/fake-iam-server';
import { generateUsers } from '../tools/fakes/generate-users';
import { reportOfCsv } from '../tools/fakes/visual-report-input';
import { count } from './units';

/** One in-process measurement: the pure paths that grow with the account, without any endpoint. */
export interface MicroCase {
  readonly name: string;
  readonly users: number;
  readonly ms: number;
  /** Heap growth across the case, from a collected heap when --expose-gc is on. */
  readonly heapDeltaMb: number;
}

const ACCOUNT = '123456789012';
const arnOf = (u: FakeUser) => `arn:aws:iam::${ACCOUNT}:user${u.path ?? '/'}${u.name}`;

function measure(name: string, users: number, work: () => void): MicroCase {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  work();
  const ms = performance.now() - start;
  return { name, users, ms, heapDeltaMb: (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024 };
}

export function runMicroCases(now: Date, thresholdDays: number): MicroCase[] {
  const cases: MicroCase[] = [];
  for (const userCount of [1_000, 5_000, 20_000]) {
    const csv = credentialReportCsv(ACCOUNT, generateUsers(userCount, now), arnOf);
    cases.push(
      measure('parse + evaluate credential report CSV, build report', userCount, () => {
        reportOfCsv(csv, now, thresholdDays);
      }),
    );
  }

  // Give every user an old password so the email has thousands of stale users to list.
  const many = generateUsers(5_000, now).map((u) => ({
    ...u,
    loginProfile: { createdAt: new Date('2024-01-01T00:00:00Z') },
  }));
  const report = reportOfCsv(credentialReportCsv(ACCOUNT, many, arnOf), now, thresholdDays);
  for (const language of ['en', 'ja'] as const) {
    cases.push(
      measure(`operator email, ${count(report.summary.stale)} stale users (${language})`, many.length, () => {
        buildOperatorMessage(report, {
          language,
          location: { bucket: 'b', key: 'k.json', csvKey: 'k.csv', versionId: 'v1' },
          notifyWhenClean: false,
        });
      }),
    );
  }
  return cases;
}
