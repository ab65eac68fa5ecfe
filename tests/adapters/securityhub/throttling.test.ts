import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSecurityHubClient } from '../../../src/adapters/securityhub/client';
import { SecurityHubFindingsStore } from '../../../src/adapters/securityhub/findings-store';
import { staleCredentialFindings } from '../../../src/domain/findings/plan';
import { AwsWriteError } from '../../../src/lib/errors';
import { ACCOUNT_ID, buildReport, password, staleUser } from '../../support/report-builder';
import { rejectionOf } from '../../support/rejection';

/**
 * Throttling on the wire: a loopback endpoint answers as Security Hub does when the account's rate
 * is exceeded (HTTP 429 with the error type in `x-amzn-ErrorType`), and the product's own client
 * (its retry strategy, its attempts) has to get the findings in. Only the backoff is set to zero.
 */

interface Answer {
  readonly status: number;
  readonly errorType?: string;
  readonly body: object;
}

let server: Server;
let endpoint: string;
let answers: Answer[];
const requests: { path: string; body: unknown }[] = [];

const OK: Answer = { status: 200, body: { FailedCount: 0, SuccessCount: 1, FailedFindings: [] } };
const tooMany = (errorType: string): Answer => ({
  status: 429,
  errorType,
  body: { message: 'Rate exceeded' },
});

beforeAll(async () => {
  server = createServer(async (request: IncomingMessage, response) => {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    requests.push({ path: request.url ?? '', body: JSON.parse(text || '{}') });
    const answer = answers.shift() ?? OK;
    response.writeHead(answer.status, {
      'content-type': 'application/json',
      ...(answer.errorType ? { 'x-amzn-errortype': answer.errorType } : {}),
    });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  requests.length = 0;
  answers = [];
});

function store(maxAttempts?: number) {
  const client = createSecurityHubClient({
    maxAttempts,
    backoff: () => 0,
    overrides: {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    },
  });
  const identity = { accountId: ACCOUNT_ID, region: 'us-east-1', partition: 'aws' };
  const findings = staleCredentialFindings(buildReport([staleUser('alice', password(120))]), {
    identity,
    now: new Date('2026-11-28T00:10:00Z'),
  });
  return {
    subject: new SecurityHubFindingsStore({ client, identity, sleep: async () => undefined }),
    findings,
  };
}

describe('throttled Security Hub calls', () => {
  it.each(['TooManyRequestsException', 'LimitExceededException'])(
    'retries BatchImportFindings answered with HTTP 429 %s until it goes through',
    async (errorType) => {
      answers = [tooMany(errorType), tooMany(errorType), OK];
      const { subject, findings } = store();

      const failures = await subject.import(findings);

      expect(failures).toEqual([]);
      expect(requests.map((r) => r.path)).toEqual([
        '/findings/import',
        '/findings/import',
        '/findings/import',
      ]);
      expect(requests[2]?.body).toEqual({ Findings: findings });
    },
  );

  it('retries GetFindings answered with HTTP 429 too', async () => {
    answers = [tooMany('TooManyRequestsException'), { status: 200, body: { Findings: [] } }];

    const active = await store().subject.listActive();

    expect(active).toEqual({ findings: [], unreadable: [] });
    expect(requests.map((r) => r.path)).toEqual(['/findings', '/findings']);
  });

  it('gives up after its attempts with the throttling error, saying nothing was imported', async () => {
    answers = Array.from({ length: 3 }, () => tooMany('TooManyRequestsException'));
    const { subject, findings } = store(3);

    const error = await rejectionOf(subject.import(findings));

    expect(error).toBeInstanceOf(AwsWriteError);
    expect(error.message).toMatch(
      /^importing findings into Security Hub failed \(0 of 1 findings were imported before it\): TooManyRequestsException/,
    );
    expect(requests).toHaveLength(3);
  });

  it('retries each call up to 8 attempts by default', async () => {
    answers = Array.from({ length: 7 }, () => tooMany('TooManyRequestsException'));
    const { subject, findings } = store();

    expect(await subject.import(findings)).toEqual([]);
    expect(requests).toHaveLength(8);
  });
});
