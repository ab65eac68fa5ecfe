import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import credentialReportColumns from './credential-report-columns.json';

/**
 * A small IAM endpoint speaking the real wire protocol (AWS query protocol: form-encoded POST in,
 * XML out), so the SDK's own serializers, paginating markers, error codes and retry strategy are
 * exercised end to end, and the CLI can be pointed at it with AWS_ENDPOINT_URL. It serves one
 * account from plain data; the credential report is generated from that same data in the format
 * AWS documents (root row first, N/A, no_information, not_supported).
 *
 * Tests and the benchmark both use it, so it lives in tools/ (the benchmark imports nothing from tests/).
 */

/**
 * The columns of a real credential report, in AWS's order. Kept in JSON so that
 * scripts/make-sample-report.mjs, which cannot import TypeScript, writes the same header.
 */
export const CREDENTIAL_REPORT_HEADER: readonly string[] = credentialReportColumns;

export interface FakeAccessKey {
  id: string;
  status: 'Active' | 'Inactive';
  createdAt: Date;
  lastUsedAt?: Date;
}

export interface FakeUser {
  name: string;
  path?: string;
  createdAt: Date;
  passwordLastUsedAt?: Date;
  /**
   * `lastChangedAt`: an administrator's reset (UpdateLoginProfile), which AWS shows only in the
   * credential report's password_last_changed; GetLoginProfile's CreateDate stays `createdAt`.
   */
  loginProfile?: { createdAt: Date; passwordResetRequired?: boolean; lastChangedAt?: Date };
  accessKeys?: FakeAccessKey[];
  /** IAM actions answered with AccessDenied for this user only. */
  deny?: string[];
  tags?: Record<string, string>;
  groups?: string[];
}

export interface FakeIamOptions {
  accountId?: string;
  users: FakeUser[];
  /** ListUsers returns at most this many users per page, whatever MaxItems says (AWS may return fewer). */
  maxPageSize?: number;
  /** Answer these 1-based request numbers with HTTP 400 Throttling. */
  throttleRequests?: Set<number>;
  /** Answer every call of these actions with AccessDenied. */
  denyActions?: string[];
  /** How many GenerateCredentialReport calls answer STARTED / INPROGRESS before COMPLETE. */
  reportPollsBeforeComplete?: number;
  reportGeneratedAt?: Date;
  /**
   * Runs before each request is answered: may hold it (latency) or answer with a fault instead
   * (throttling, ReportInProgress, a denied call). Benchmarks and fault tests plug in here.
   */
  intercept?: (request: FakeRequest) => FakeFault | undefined | Promise<FakeFault | undefined>;
}

export interface FakeRequest {
  readonly action: string;
  readonly params: URLSearchParams;
  /** 1-based, in arrival order. */
  readonly number: number;
}

/** An error answer in the query protocol's shape: HTTP status, `<Code>` and `<Message>`. */
export interface FakeFault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export interface FakeIam {
  readonly endpoint: string;
  /** Every request, with the Authorization header that signed it (its credential scope names the key and region). */
  readonly requests: { action: string; params: URLSearchParams; authorization: string }[];
  close(): Promise<void>;
}

export async function startFakeIam(options: FakeIamOptions): Promise<FakeIam> {
  const accountId = options.accountId ?? '123456789012';
  const requests: FakeIam['requests'] = [];
  let reportPolls = 0;

  const server: Server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      requests.push({ action, params, authorization: String(req.headers.authorization ?? '') });
      const number = requests.length;
      const fault = await options.intercept?.({ action, params, number });
      if (fault) return sendError(res, fault.status, fault.code, fault.message);
      if (options.throttleRequests?.has(number)) {
        return sendError(res, 400, 'Throttling', 'Rate exceeded');
      }
      if (options.denyActions?.includes(action)) {
        return sendError(res, 403, 'AccessDenied', `User is not authorized to perform: iam:${action}`);
      }
      const handler = handlers[action];
      if (!handler) return sendError(res, 400, 'InvalidAction', `Could not find operation ${action}`);
      handler(params, res);
    });
  });

  /** One page of the users, as IAM's list calls page: at most MaxItems (and maxPageSize), from Marker on. */
  const usersPage = (params: URLSearchParams) => {
    const maxItems = Math.min(Number(params.get('MaxItems') ?? 100), options.maxPageSize ?? 1000);
    const start = Number(params.get('Marker') ?? 0);
    const page = options.users.slice(start, start + maxItems);
    const next = start + page.length;
    const truncated = next < options.users.length;
    return {
      page,
      truncation: `<IsTruncated>${truncated}</IsTruncated>` + (truncated ? `<Marker>${next}</Marker>` : ''),
    };
  };
  const arnOf = (u: FakeUser) => `arn:aws:iam::${accountId}:user${u.path ?? '/'}${u.name}`;
  const findUser = (params: URLSearchParams, res: ServerResponse, action: string): FakeUser | null => {
    const name = params.get('UserName');
    const found = options.users.find((u) => u.name === name);
    if (!found) {
      sendError(res, 404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
      return null;
    }
    if (found.deny?.includes(action)) {
      sendError(
        res,
        403,
        'AccessDenied',
        `User is not authorized to perform: iam:${action} on resource: ${arnOf(found)}`,
      );
      return null;
    }
    return found;
  };

  const handlers: Record<string, (params: URLSearchParams, res: ServerResponse) => void> = {
    ListUsers: (params, res) => {
      const { page, truncation } = usersPage(params);
      const members = page
        .map(
          (u) =>
            `<member><Path>${xml(u.path ?? '/')}</Path><UserName>${xml(u.name)}</UserName>` +
            `<UserId>AIDA${xml(u.name.toUpperCase().replace(/[^A-Z0-9]/g, ''))}</UserId><Arn>${xml(arnOf(u))}</Arn>` +
            `<CreateDate>${iso(u.createdAt)}</CreateDate>` +
            (u.passwordLastUsedAt
              ? `<PasswordLastUsed>${iso(u.passwordLastUsedAt)}</PasswordLastUsed>`
              : '') +
            `</member>`,
        )
        .join('');
      sendResult(res, 'ListUsers', `<Users>${members}</Users>${truncation}`);
    },
    GetAccountAuthorizationDetails: (params, res) => {
      const { page, truncation } = usersPage(params);
      const members = page
        .map(
          (u) =>
            `<member><Path>${xml(u.path ?? '/')}</Path><UserName>${xml(u.name)}</UserName>` +
            `<Arn>${xml(arnOf(u))}</Arn><CreateDate>${iso(u.createdAt)}</CreateDate>` +
            `<GroupList>${(u.groups ?? []).map((g) => `<member>${xml(g)}</member>`).join('')}</GroupList>` +
            (u.tags
              ? `<Tags>${Object.entries(u.tags)
                  .map(([k, v]) => `<member><Key>${xml(k)}</Key><Value>${xml(v)}</Value></member>`)
                  .join('')}</Tags>`
              : '') +
            `</member>`,
        )
        .join('');
      sendResult(
        res,
        'GetAccountAuthorizationDetails',
        `<UserDetailList>${members}</UserDetailList>${truncation}`,
      );
    },
    GetUser: (params, res) => {
      const u = findUser(params, res, 'GetUser');
      if (!u) return;
      sendResult(
        res,
        'GetUser',
        `<User><Path>${xml(u.path ?? '/')}</Path><UserName>${xml(u.name)}</UserName><Arn>${xml(arnOf(u))}</Arn>` +
          `<CreateDate>${iso(u.createdAt)}</CreateDate></User>`,
      );
    },
    GetLoginProfile: (params, res) => {
      const u = findUser(params, res, 'GetLoginProfile');
      if (!u) return;
      if (!u.loginProfile)
        return sendError(res, 404, 'NoSuchEntity', `Login Profile for User ${u.name} cannot be found.`);
      sendResult(
        res,
        'GetLoginProfile',
        `<LoginProfile><UserName>${xml(u.name)}</UserName><CreateDate>${iso(u.loginProfile.createdAt)}</CreateDate>` +
          `<PasswordResetRequired>${u.loginProfile.passwordResetRequired ?? false}</PasswordResetRequired></LoginProfile>`,
      );
    },
    ListAccessKeys: (params, res) => {
      const u = findUser(params, res, 'ListAccessKeys');
      if (!u) return;
      const members = (u.accessKeys ?? [])
        .map(
          (k) =>
            `<member><UserName>${xml(u.name)}</UserName><AccessKeyId>${k.id}</AccessKeyId>` +
            `<Status>${k.status}</Status><CreateDate>${iso(k.createdAt)}</CreateDate></member>`,
        )
        .join('');
      sendResult(
        res,
        'ListAccessKeys',
        `<AccessKeyMetadata>${members}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`,
      );
    },
    GetAccessKeyLastUsed: (params, res) => {
      const id = params.get('AccessKeyId');
      const owner = options.users.find((u) => u.accessKeys?.some((k) => k.id === id));
      const key = owner?.accessKeys?.find((k) => k.id === id);
      if (!owner || !key)
        return sendError(res, 403, 'AccessDenied', 'The access key does not exist in this account');
      if (owner.deny?.includes('GetAccessKeyLastUsed')) {
        return sendError(
          res,
          403,
          'AccessDenied',
          'User is not authorized to perform: iam:GetAccessKeyLastUsed',
        );
      }
      // A never-used key has no LastUsedDate; ServiceName and Region say N/A.
      const lastUsed = key.lastUsedAt
        ? `<LastUsedDate>${iso(key.lastUsedAt)}</LastUsedDate><ServiceName>s3</ServiceName><Region>us-east-1</Region>`
        : `<ServiceName>N/A</ServiceName><Region>N/A</Region>`;
      sendResult(
        res,
        'GetAccessKeyLastUsed',
        `<UserName>${xml(owner.name)}</UserName><AccessKeyLastUsed>${lastUsed}</AccessKeyLastUsed>`,
      );
    },
    GenerateCredentialReport: (_params, res) => {
      reportPolls++;
      const waiting = options.reportPollsBeforeComplete ?? 1;
      const state =
        reportPolls === 1 && waiting > 0 ? 'STARTED' : reportPolls <= waiting ? 'INPROGRESS' : 'COMPLETE';
      sendResult(
        res,
        'GenerateCredentialReport',
        `<State>${state}</State><Description>No report exists. Starting a new report generation task</Description>`,
      );
    },
    GetCredentialReport: (_params, res) => {
      const csv = credentialReportCsv(accountId, options.users, arnOf);
      sendResult(
        res,
        'GetCredentialReport',
        `<Content>${Buffer.from(csv, 'utf8').toString('base64')}</Content><ReportFormat>text/csv</ReportFormat>` +
          `<GeneratedTime>${iso(options.reportGeneratedAt ?? new Date('2026-11-27T23:00:00Z'))}</GeneratedTime>`,
      );
    },
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** The credential report AWS would produce for these users (columns and words as documented). */
export function credentialReportCsv(
  accountId: string,
  users: FakeUser[],
  arnOf: (u: FakeUser) => string,
): string {
  const header = CREDENTIAL_REPORT_HEADER.join(',');
  const root =
    `<root_account>,arn:aws:iam::${accountId}:root,2019-04-01T09:00:00+00:00,not_supported,2026-10-02T11:00:00+00:00,` +
    'not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
  const rows = users.map((u) => {
    const keys = [...(u.accessKeys ?? [])].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const keyCells = [0, 1].flatMap((i) => {
      const k = keys[i];
      if (!k) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
      const used = k.lastUsedAt ? [reportDate(k.lastUsedAt), 'us-east-1', 's3'] : ['N/A', 'N/A', 'N/A'];
      return [String(k.status === 'Active'), reportDate(k.createdAt), ...used];
    });
    const passwordLastUsed = u.passwordLastUsedAt
      ? reportDate(u.passwordLastUsedAt)
      : u.loginProfile
        ? 'no_information'
        : 'N/A';
    return [
      u.name,
      arnOf(u),
      reportDate(u.createdAt),
      String(Boolean(u.loginProfile)),
      passwordLastUsed,
      u.loginProfile ? reportDate(u.loginProfile.lastChangedAt ?? u.loginProfile.createdAt) : 'N/A',
      'N/A', // password_next_rotation: no password policy with rotation here
      'false',
      ...keyCells,
      'false',
      'N/A',
      'false',
      'N/A',
    ]
      .map(csvCell)
      .join(',');
  });
  return [header, root, ...rows].join('\n') + '\n';
}

/** A cell quoted as CSV quotes it: a name or ARN may hold a comma (IAM allows `,` in names). */
function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function reportDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function iso(date: Date): string {
  return date.toISOString();
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendResult(res: ServerResponse, action: string, inner: string): void {
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.end(
    `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${action}Result>${inner}</${action}Result>` +
      `<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></${action}Response>`,
  );
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(
    `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${xml(message)}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`,
  );
}
