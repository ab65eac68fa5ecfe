/**
 * Child-process entry of `npm run bench`: runs ONE scan against the endpoint it is given, then
 * reports its verdicts, wall time and peak RSS to the orchestrator over IPC and exits. A process per
 * scan keeps the RSS figure the scan's own, not the orchestrator's or the fake endpoint's.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { createIamClient } from '../src/adapters/iam/client';
import { CredentialReportSource } from '../src/adapters/credential-report/source';
import { IamApiSource } from '../src/adapters/iam/api-source';
import { evaluateUsers, type UserStatus } from '../src/domain/verdict/evaluate';
import type { UserSource } from '../src/domain/scan/ports';
import { describeAwsError } from '../src/lib/errors';
import { runOriginalApproach, type OriginalOutcome } from './original-approach';
import type { ScanCaseRequest, ScanCaseResult } from './scan-case';

const CREDENTIALS = { accessKeyId: 'a', secretAccessKey: 'b' };
const REGION = 'us-east-1';

/** The report is ready after one poll; waiting for it is not what is measured, so the sleep returns at once. */
const noWait = async (): Promise<void> => undefined;

type Scanned = Pick<Extract<ScanCaseResult, { ok: true }>, 'statuses' | 'unreadableReasons'>;

async function scanWithSource(request: ScanCaseRequest, source: UserSource): Promise<Scanned> {
  const inventory = await source.read({ scope: 'all' });
  const verdicts = evaluateUsers(inventory.users, {
    thresholdDays: request.thresholdDays,
    now: new Date(request.now),
    scope: 'all',
  });
  return {
    statuses: verdicts.map((v) => [v.userName, v.status] as const),
    unreadableReasons: verdicts.flatMap((v) => (v.status === 'error' ? [v.error ?? 'no reason given'] : [])),
  };
}

/** The original only looks at console passwords: its outcomes as password-scope statuses. */
const ORIGINAL_AS_STATUS: Record<OriginalOutcome, UserStatus> = {
  stale: 'stale',
  'not-stale': 'active',
  'skipped-no-login-profile': 'no-credentials',
};

async function scanLikeTheOriginal(request: ScanCaseRequest): Promise<Scanned> {
  // Default client settings, as in the original; only where to connect is set.
  const client = new IAMClient({ endpoint: request.endpoint, region: REGION, credentials: CREDENTIALS });
  const outcomes = await runOriginalApproach(client, {
    thresholdDays: request.thresholdDays,
    now: new Date(request.now),
  });
  return {
    statuses: [...outcomes].map(([name, outcome]) => [name, ORIGINAL_AS_STATUS[outcome]] as const),
    unreadableReasons: [],
  };
}

function scan(request: ScanCaseRequest): Promise<Scanned> {
  if (request.source === 'original') return scanLikeTheOriginal(request);
  const client = createIamClient({
    overrides: { endpoint: request.endpoint, region: REGION, credentials: CREDENTIALS },
  });
  return scanWithSource(
    request,
    request.source === 'api'
      ? new IamApiSource({ client, concurrency: request.concurrency })
      : new CredentialReportSource({ client, sleep: noWait }),
  );
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as ScanCaseRequest;
  const start = performance.now();
  let result: ScanCaseResult;
  try {
    const scanned = await scan(request);
    result = { ok: true, ...scanned, ...measured(start) };
  } catch (error) {
    result = { ok: false, error: describeAwsError(error), ...measured(start) };
  }
  // Exit once the result is out: idle keep-alive sockets would otherwise hold the process open.
  process.send?.(result, () => process.exit(0));
}

function measured(start: number): { wallMs: number; maxRssKib: number } {
  return { wallMs: performance.now() - start, maxRssKib: process.resourceUsage().maxRSS };
}

void main();
