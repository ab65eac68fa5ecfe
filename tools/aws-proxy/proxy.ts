import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { ProxyAnswer } from './faults';
import {
  accessKeyOf,
  accountOfArn,
  actionOf,
  formParameters,
  issuedAccessKey,
  serviceOf,
} from './request-identity';

/**
 * A small HTTP proxy in front of a local AWS emulator (moto): every request is held `latencyMs`
 * (the network a real endpoint is behind), recorded by service, action and account, and may be
 * answered by `fault` instead of the emulator (what moto never does: AssumeRole refused, a call
 * denied). It learns which account each temporary key acts in from the AssumeRole answers that
 * pass through it, as moto itself does. Used by the emulator tests and the benchmark; the code
 * under test runs unchanged, pointed at the proxy by AWS_ENDPOINT_URL.
 */

export interface ProxiedRequest {
  readonly service: string;
  readonly action: string;
  /** The account the call is about: the role's account for AssumeRole, else the account of the caller's key. */
  readonly accountId: string;
  readonly accessKeyId: string | null;
  /** Query-protocol parameters (e.g. RoleArn); empty for other protocols. */
  readonly parameters: URLSearchParams;
}

export interface ProxiedCall {
  readonly service: string;
  readonly action: string;
  readonly accountId: string;
  readonly status: number;
  /** Answered by `fault`, not by the emulator. */
  readonly injected: boolean;
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface AwsProxyOptions {
  /** The emulator, e.g. `http://127.0.0.1:5000`. */
  readonly target: string;
  readonly latencyMs?: number;
  /** Where a key the proxy did not see issued acts: moto's default account. */
  readonly defaultAccountId?: string;
  readonly fault?: (request: ProxiedRequest) => ProxyAnswer | undefined;
}

export interface AwsProxy {
  readonly endpoint: string;
  readonly calls: ProxiedCall[];
  close(): Promise<void>;
}

export const MOTO_DEFAULT_ACCOUNT = '123456789012';

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

export async function startAwsProxy(options: AwsProxyOptions): Promise<AwsProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const keyAccounts = new Map<string, string>();
  const calls: ProxiedCall[] = [];
  const defaultAccount = options.defaultAccountId ?? MOTO_DEFAULT_ACCOUNT;

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const startedAt = Date.now();
    const body = await readBody(incoming);
    const text = body.toString('utf8');
    const url = incoming.url ?? '/';
    const service = serviceOf(incoming.headers);
    const action = actionOf(service, {
      method: incoming.method ?? 'GET',
      url,
      headers: incoming.headers,
      body: text,
    });
    const parameters = formParameters(incoming.headers, text);
    const accessKeyId = accessKeyOf(incoming.headers);
    const callerAccount = (accessKeyId && keyAccounts.get(accessKeyId)) ?? defaultAccount;
    const roleAccount = action === 'AssumeRole' ? accountOfArn(parameters.get('RoleArn')) : null;
    const request: ProxiedRequest = {
      service,
      action,
      accountId: roleAccount ?? callerAccount,
      accessKeyId,
      parameters,
    };
    if (options.latencyMs) await delay(options.latencyMs);
    const done = (status: number, injected: boolean) =>
      calls.push({
        service,
        action,
        accountId: request.accountId,
        status,
        injected,
        startedAt,
        endedAt: Date.now(),
      });

    const injected = options.fault?.(request);
    if (injected) {
      outgoing.writeHead(injected.status, { 'content-type': injected.contentType });
      outgoing.end(injected.body);
      done(injected.status, true);
      return;
    }
    const headers = { ...incoming.headers, host: target.host, 'content-length': String(body.length) };
    delete headers.expect;
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: url, headers, agent },
      (answer) => {
        const status = answer.statusCode ?? 502;
        if (action === 'AssumeRole' && roleAccount) {
          // Buffered, to learn which account the issued key acts in.
          void readBody(answer).then((answerBody) => {
            const key = issuedAccessKey(answerBody.toString('utf8'));
            if (key) keyAccounts.set(key, roleAccount);
            outgoing.writeHead(status, answer.headers);
            outgoing.end(answerBody);
            done(status, false);
          });
          return;
        }
        outgoing.writeHead(status, answer.headers);
        answer.pipe(outgoing);
        answer.on('end', () => done(status, false));
      },
    );
    upstream.on('error', (error) => {
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`stale-iam proxy: ${error.message}`);
    });
    upstream.end(body);
  };

  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      outgoing.writeHead(500, { 'content-type': 'text/plain' });
      outgoing.end(`stale-iam proxy: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
