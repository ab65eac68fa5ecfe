import { createHash, randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import {
  startFakeIam,
  type FakeIam,
  type FakeIamOptions,
  type FakeUser,
} from '../../tools/fakes/fake-iam-server';

/**
 * One loopback endpoint for the four services the bundled handlers call, each speaking its real
 * wire protocol, so the SDK clients inside the bundles work unchanged with AWS_ENDPOINT_URL:
 *
 * - SSM: AWS JSON 1.1 (`x-amz-target: AmazonSSM.<Operation>`, JSON in and out).
 * - IAM and SNS: AWS query protocol (form-encoded `Action=...` in, XML out); the two are told apart
 *   by the service name in the SigV4 credential scope (`Credential=<key>/<date>/<region>/iam/aws4_request`).
 * - S3: REST-XML, path-style (`/<bucket>/<key>`), which the SDK uses by itself for an IP-address endpoint;
 *   objects and bucket versioning (PutBucketVersioning: PutObject then answers with a version id,
 *   and GetObject?versionId= reads an older one), `If-None-Match: *` (412 PreconditionFailed on an
 *   existing key, as S3 answers), and ListObjectsV2 with Prefix and StartAfter.
 *
 * IAM is composed, not copied: the actions of the wire-level fake in `tools/fakes/fake-iam-server.ts` (ListUsers,
 * GetLoginProfile, ListAccessKeys, GetAccessKeyLastUsed, the credential report) are forwarded to it,
 * and the ones the service needs on top of them (exemption reads and the two remediation writes) are
 * answered here, on the same user objects, so a deleted login profile is gone for both.
 *
 * Every request is recorded, and the stored state (objects, parameters, messages, users) is open
 * to the test.
 */

export interface FakeAwsUser extends FakeUser {
  /** IAM user tags, e.g. `{ 'stale-iam:exempt': 'true' }`. */
  tags?: Record<string, string>;
  /** Names of the IAM groups the user is in. */
  groups?: string[];
}

export interface FakeAwsOptions extends Omit<FakeIamOptions, 'users' | 'accountId'> {
  accountId?: string;
  users: FakeAwsUser[];
  /** SSM String parameters that exist from the start. */
  parameters?: Record<string, string>;
  /** S3 buckets that exist from the start. */
  buckets?: string[];
  /** Of those, the ones with versioning Enabled from the start (as the deployed report bucket). */
  versionedBuckets?: string[];
  /** SNS topic names that exist from the start (in whichever region asks). */
  topics?: string[];
  /** GetAccountAuthorizationDetails returns at most this many users per page. */
  authorizationDetailsPageSize?: number;
}

export type FakeService = 'iam' | 'sns' | 'ssm' | 's3' | 'unknown';

export interface RecordedRequest {
  readonly service: FakeService;
  /** The API operation, e.g. `DeleteLoginProfile`, `GetParameters`, `PutObject`, `Publish`. */
  readonly action: string;
  /** Query-protocol parameters (IAM, SNS). */
  readonly params?: URLSearchParams;
  /** JSON input (SSM). */
  readonly input?: Record<string, unknown>;
  /** S3 bucket and key, and the version asked for. */
  readonly bucket?: string;
  readonly key?: string;
  readonly versionId?: string;
}

export interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly lastModified: Date;
  readonly etag: string;
  /** Set when the bucket's versioning is Enabled. */
  readonly versionId?: string;
}

export interface PublishedMessage {
  readonly topicArn: string;
  readonly subject: string | null;
  readonly message: string;
  readonly messageId: string;
}

export interface FakeAws {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  /** bucket -> key -> object (the latest version when versioning is on) */
  readonly buckets: Map<string, Map<string, StoredObject>>;
  /** bucket -> key -> every version written while versioning was Enabled, oldest first. */
  readonly versions: Map<string, Map<string, StoredObject[]>>;
  /** Buckets whose versioning PutBucketVersioning set, with its status (`Enabled` or `Suspended`). */
  readonly versioning: Map<string, string>;
  readonly parameters: Map<string, { value: string; type: string; version: number }>;
  readonly topicArns: Set<string>;
  readonly published: PublishedMessage[];
  /** The live IAM data: remediation writes change these objects. */
  readonly users: FakeAwsUser[];
  /** Requests of one service, optionally of one action. */
  requestsOf(service: FakeService, action?: string): RecordedRequest[];
  /** The object's body as UTF-8 text, or undefined. */
  objectText(bucket: string, key: string): string | undefined;
  close(): Promise<void>;
}

const IAM_OWN_ACTIONS = new Set([
  'GetAccountAuthorizationDetails',
  'GetAccountSummary',
  'GetUser',
  'ListGroupsForUser',
  'ListUserTags',
  'DeleteLoginProfile',
  'UpdateAccessKey',
]);

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const accountId = options.accountId ?? '123456789012';
  const users = options.users;
  const iamBackend: FakeIam = await startFakeIam({ ...options, accountId, users });
  const requests: RecordedRequest[] = [];
  const buckets = new Map<string, Map<string, StoredObject>>(
    (options.buckets ?? []).map((name) => [name, new Map<string, StoredObject>()]),
  );
  const parameters = new Map(
    Object.entries(options.parameters ?? {}).map(([name, value]) => [
      name,
      { value, type: 'String', version: 1 },
    ]),
  );
  const versioning = new Map<string, string>((options.versionedBuckets ?? []).map((b) => [b, 'Enabled']));
  const versions = new Map<string, Map<string, StoredObject[]>>();
  const topicNames = new Set(options.topics ?? []);
  const topicArns = new Set<string>();
  const published: PublishedMessage[] = [];

  const server: Server = createServer((req, res) => {
    void readBody(req)
      .then(async (body) => {
        const target = header(req, 'x-amz-target');
        if (target?.startsWith('AmazonSSM.')) return ssm(target.slice('AmazonSSM.'.length), body, req, res);
        const form = header(req, 'content-type')?.startsWith('application/x-www-form-urlencoded');
        const service = scopeService(req);
        if (form && service === 'iam') return iam(new URLSearchParams(body.toString('utf8')), body, req, res);
        if (form && service === 'sns') return sns(new URLSearchParams(body.toString('utf8')), req, res);
        if (service === 's3' || !form) return s3(req, body, res);
        requests.push({ service: 'unknown', action: req.method ?? '' });
        sendJsonError(res, 400, 'UnknownService', `the fake does not serve "${service ?? 'unsigned'}"`);
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake AWS failed: ${String(error)}`);
      });
  });

  /* ------------------------------------------------------------------------------------- SSM */

  function ssm(operation: string, body: Buffer, req: IncomingMessage, res: ServerResponse): void {
    const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    requests.push({ service: 'ssm', action: operation, input });
    const region = scopeRegion(req);
    const describe = (name: string) => {
      const p = parameters.get(name);
      if (!p) return null;
      return {
        Name: name,
        Type: p.type,
        Value: p.value,
        Version: p.version,
        LastModifiedDate: 1_764_288_000.123,
        ARN: `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        DataType: 'text',
      };
    };
    switch (operation) {
      case 'GetParameters': {
        const names = Array.isArray(input.Names) ? input.Names.map(String) : [];
        if (names.length === 0 || names.length > 10) {
          return sendJsonError(res, 400, 'ValidationException', 'Names must hold 1 to 10 names');
        }
        const found = names.map(describe).filter((p) => p !== null);
        const invalid = names.filter((n) => !parameters.has(n));
        return sendJson(res, { Parameters: found, InvalidParameters: invalid });
      }
      case 'GetParameter': {
        const p = describe(String(input.Name ?? ''));
        if (!p) return sendJsonError(res, 400, 'ParameterNotFound', '');
        return sendJson(res, { Parameter: p });
      }
      case 'PutParameter': {
        const name = String(input.Name ?? '');
        const value = typeof input.Value === 'string' ? input.Value : '';
        if (!name || !value) {
          return sendJsonError(res, 400, 'ValidationException', 'Name and Value must not be empty');
        }
        const existing = parameters.get(name);
        if (existing && input.Overwrite !== true) {
          return sendJsonError(
            res,
            400,
            'ParameterAlreadyExists',
            'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
          );
        }
        const version = (existing?.version ?? 0) + 1;
        parameters.set(name, { value, type: String(input.Type ?? existing?.type ?? 'String'), version });
        return sendJson(res, { Version: version, Tier: 'Standard' });
      }
      default:
        return sendJsonError(res, 400, 'UnknownOperationException', `the fake has no SSM ${operation}`);
    }
  }

  /* ------------------------------------------------------------------------------------- IAM */

  const arnOf = (u: FakeAwsUser) => `arn:aws:iam::${accountId}:user${u.path ?? '/'}${u.name}`;
  const userIdOf = (u: FakeAwsUser) => `AIDA${u.name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
  const tagsXml = (u: FakeAwsUser) =>
    Object.entries(u.tags ?? {})
      .map(([k, v]) => `<member><Key>${xml(k)}</Key><Value>${xml(v)}</Value></member>`)
      .join('');

  async function iam(params: URLSearchParams, body: Buffer, req: IncomingMessage, res: ServerResponse) {
    const action = params.get('Action') ?? '';
    requests.push({ service: 'iam', action, params });
    if (!IAM_OWN_ACTIONS.has(action)) return forward(iamBackend.endpoint, req, body, res);
    if (options.denyActions?.includes(action)) {
      return sendQueryError(
        res,
        IAM_NS,
        403,
        'AccessDenied',
        `User is not authorized to perform: iam:${action}`,
      );
    }
    if (action === 'GetAccountAuthorizationDetails') return authorizationDetails(params, res);
    if (action === 'GetAccountSummary') {
      return sendQueryResult(
        res,
        IAM_NS,
        action,
        `<SummaryMap><entry><key>Users</key><value>${users.length}</value></entry>` +
          `<entry><key>UsersQuota</key><value>5000</value></entry></SummaryMap>`,
      );
    }

    const name = params.get('UserName');
    const user = users.find((u) => u.name === name);
    if (!user)
      return sendQueryError(res, IAM_NS, 404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
    if (user.deny?.includes(action)) {
      return sendQueryError(
        res,
        IAM_NS,
        403,
        'AccessDenied',
        `User is not authorized to perform: iam:${action} on resource: ${arnOf(user)}`,
      );
    }
    switch (action) {
      case 'GetUser':
        return sendQueryResult(
          res,
          IAM_NS,
          action,
          `<User><Path>${xml(user.path ?? '/')}</Path><UserName>${xml(user.name)}</UserName>` +
            `<UserId>${userIdOf(user)}</UserId><Arn>${xml(arnOf(user))}</Arn><CreateDate>${iso(user.createdAt)}</CreateDate>` +
            (user.passwordLastUsedAt
              ? `<PasswordLastUsed>${iso(user.passwordLastUsedAt)}</PasswordLastUsed>`
              : '') +
            (user.tags && Object.keys(user.tags).length > 0 ? `<Tags>${tagsXml(user)}</Tags>` : '') +
            `</User>`,
        );
      case 'ListUserTags':
        return sendQueryResult(
          res,
          IAM_NS,
          action,
          `<Tags>${tagsXml(user)}</Tags><IsTruncated>false</IsTruncated>`,
        );
      case 'ListGroupsForUser': {
        const groups = (user.groups ?? [])
          .map(
            (g) =>
              `<member><Path>/</Path><GroupName>${xml(g)}</GroupName><GroupId>AGPA${xml(g.toUpperCase().replace(/[^A-Z0-9]/g, ''))}</GroupId>` +
              `<Arn>arn:aws:iam::${accountId}:group/${xml(g)}</Arn><CreateDate>2020-01-01T00:00:00Z</CreateDate></member>`,
          )
          .join('');
        return sendQueryResult(
          res,
          IAM_NS,
          action,
          `<Groups>${groups}</Groups><IsTruncated>false</IsTruncated>`,
        );
      }
      case 'DeleteLoginProfile':
        if (!user.loginProfile) {
          return sendQueryError(
            res,
            IAM_NS,
            404,
            'NoSuchEntity',
            `Login Profile for User ${user.name} cannot be found.`,
          );
        }
        delete user.loginProfile;
        return sendQueryResult(res, IAM_NS, action, null);
      case 'UpdateAccessKey': {
        const id = params.get('AccessKeyId');
        const status = params.get('Status');
        const key = user.accessKeys?.find((k) => k.id === id);
        if (!key) {
          return sendQueryError(
            res,
            IAM_NS,
            404,
            'NoSuchEntity',
            `The Access Key with id ${id} cannot be found.`,
          );
        }
        if (status !== 'Active' && status !== 'Inactive') {
          return sendQueryError(res, IAM_NS, 400, 'ValidationError', `Invalid Status ${status}`);
        }
        key.status = status;
        return sendQueryResult(res, IAM_NS, action, null);
      }
      default:
        return sendQueryError(res, IAM_NS, 400, 'InvalidAction', `Could not find operation ${action}`);
    }
  }

  function authorizationDetails(params: URLSearchParams, res: ServerResponse): void {
    const filters = [...params.entries()].filter(([k]) => k.startsWith('Filter.member.')).map(([, v]) => v);
    const wanted = filters.length === 0 || filters.includes('User') ? users : [];
    const pageSize = Math.min(
      Number(params.get('MaxItems') ?? 100),
      options.authorizationDetailsPageSize ?? 1000,
    );
    const start = Number(params.get('Marker') ?? 0);
    const page = wanted.slice(start, start + pageSize);
    const next = start + page.length;
    const truncated = next < wanted.length;
    const members = page
      .map(
        (u) =>
          `<member><Path>${xml(u.path ?? '/')}</Path><UserName>${xml(u.name)}</UserName><UserId>${userIdOf(u)}</UserId>` +
          `<Arn>${xml(arnOf(u))}</Arn><CreateDate>${iso(u.createdAt)}</CreateDate>` +
          `<GroupList>${(u.groups ?? []).map((g) => `<member>${xml(g)}</member>`).join('')}</GroupList>` +
          `<AttachedManagedPolicies/><UserPolicyList/>` +
          (u.tags && Object.keys(u.tags).length > 0 ? `<Tags>${tagsXml(u)}</Tags>` : '') +
          `</member>`,
      )
      .join('');
    sendQueryResult(
      res,
      IAM_NS,
      'GetAccountAuthorizationDetails',
      `<UserDetailList>${members}</UserDetailList><GroupDetailList/><RoleDetailList/><Policies/>` +
        `<IsTruncated>${truncated}</IsTruncated>${truncated ? `<Marker>${next}</Marker>` : ''}`,
    );
  }

  /* ------------------------------------------------------------------------------------- SNS */

  function sns(params: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
    const action = params.get('Action') ?? '';
    requests.push({ service: 'sns', action, params });
    const region = scopeRegion(req);
    for (const name of topicNames) topicArns.add(`arn:aws:sns:${region}:${accountId}:${name}`);
    switch (action) {
      case 'CreateTopic': {
        const name = params.get('Name') ?? '';
        if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) {
          return sendQueryError(res, SNS_NS, 400, 'InvalidParameter', 'Invalid parameter: Topic Name');
        }
        topicNames.add(name);
        const arn = `arn:aws:sns:${region}:${accountId}:${name}`;
        topicArns.add(arn);
        return sendQueryResult(res, SNS_NS, action, `<TopicArn>${xml(arn)}</TopicArn>`);
      }
      case 'ListTopics': {
        const members = [...topicArns]
          .map((arn) => `<member><TopicArn>${xml(arn)}</TopicArn></member>`)
          .join('');
        return sendQueryResult(res, SNS_NS, action, `<Topics>${members}</Topics>`);
      }
      case 'Publish': {
        const topicArn = params.get('TopicArn') ?? '';
        const subject = params.get('Subject');
        const message = params.get('Message') ?? '';
        if (!topicArns.has(topicArn)) {
          return sendQueryError(res, SNS_NS, 404, 'NotFound', 'Topic does not exist');
        }
        // What SNS documents for Subject: ASCII, no line breaks or control characters, under 100 characters.
        if (
          subject !== null &&
          (subject.length === 0 || subject.length >= 100 || !/^[\x20-\x7e]+$/.test(subject))
        ) {
          return sendQueryError(res, SNS_NS, 400, 'InvalidParameter', 'Invalid parameter: Subject');
        }
        if (message.length === 0) {
          return sendQueryError(res, SNS_NS, 400, 'InvalidParameter', 'Invalid parameter: Empty message');
        }
        if (Buffer.byteLength(message, 'utf8') > 262_144) {
          return sendQueryError(res, SNS_NS, 400, 'InvalidParameter', 'Invalid parameter: Message too long');
        }
        const messageId = randomUUID();
        published.push({ topicArn, subject, message, messageId });
        return sendQueryResult(res, SNS_NS, action, `<MessageId>${messageId}</MessageId>`);
      }
      default:
        return sendQueryError(res, SNS_NS, 400, 'InvalidAction', `Could not find operation ${action}`);
    }
  }

  /* -------------------------------------------------------------------------------------- S3 */

  /** ListObjectsV2 with Prefix, StartAfter and MaxKeys (one page; keys in ascending UTF-8 order, as S3 lists them). */
  function listObjectsV2(
    url: URL,
    bucket: string,
    objects: Map<string, { body: Buffer; lastModified: Date; etag: string }>,
    res: ServerResponse,
  ): void {
    const prefix = url.searchParams.get('prefix') ?? '';
    const startAfter = url.searchParams.get('start-after') ?? '';
    const maxKeys = Number(url.searchParams.get('max-keys') ?? '1000');
    const matching = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > startAfter).sort();
    const page = matching.slice(0, maxKeys);
    const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const contents = page
      .map((k) => {
        const o = objects.get(k);
        return (
          `<Contents><Key>${xml(k)}</Key><LastModified>${o?.lastModified.toISOString()}</LastModified>` +
          `<ETag>${xml(o?.etag ?? '')}</ETag><Size>${o?.body.length ?? 0}</Size><StorageClass>STANDARD</StorageClass></Contents>`
        );
      })
      .join('');
    res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': requestId() });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
        `<Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><StartAfter>${xml(startAfter)}</StartAfter>` +
        `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
        `<IsTruncated>${matching.length > page.length}</IsTruncated>${contents}</ListBucketResult>`,
    );
  }

  function s3(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const { bucket, key } = bucketAndKey(url, header(req, 'host') ?? '');
    const method = req.method ?? 'GET';
    const action =
      key === '' && url.searchParams.has('versioning')
        ? method === 'PUT'
          ? 'PutBucketVersioning'
          : 'GetBucketVersioning'
        : key === ''
          ? method === 'PUT'
            ? 'CreateBucket'
            : method === 'HEAD'
              ? 'HeadBucket'
              : method === 'GET' && url.searchParams.get('list-type') === '2'
                ? 'ListObjectsV2'
                : `${method} bucket`
          : method === 'PUT'
            ? 'PutObject'
            : method === 'GET'
              ? 'GetObject'
              : method === 'HEAD'
                ? 'HeadObject'
                : `${method} object`;
    const versionId = url.searchParams.get('versionId');
    requests.push({ service: 's3', action, bucket, key, ...(versionId ? { versionId } : {}) });

    if (action === 'CreateBucket') {
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
        return sendS3Error(res, 400, 'InvalidBucketName', 'The specified bucket is not valid.', {
          BucketName: bucket,
        });
      }
      if (buckets.has(bucket)) {
        return sendS3Error(
          res,
          409,
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
          { BucketName: bucket },
        );
      }
      buckets.set(bucket, new Map());
      res.writeHead(200, { location: `/${bucket}`, 'x-amz-request-id': requestId() });
      return void res.end();
    }
    const objects = buckets.get(bucket);
    if (!objects) {
      return sendS3Error(
        res,
        404,
        'NoSuchBucket',
        'The specified bucket does not exist',
        { BucketName: bucket },
        method,
      );
    }
    if (action === 'HeadBucket') return void res.writeHead(200).end();
    if (action === 'ListObjectsV2') return listObjectsV2(url, bucket, objects, res);
    if (action === 'PutBucketVersioning') {
      const status = /<Status>(Enabled|Suspended)<\/Status>/.exec(body.toString('utf8'))?.[1];
      if (!status)
        return sendS3Error(res, 400, 'MalformedXML', 'The XML you provided was not well-formed.', {});
      versioning.set(bucket, status);
      res.writeHead(200, { 'x-amz-request-id': requestId() });
      return void res.end();
    }
    if (action === 'GetBucketVersioning') {
      const status = versioning.get(bucket);
      res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': requestId() });
      return void res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
          (status ? `<Status>${status}</Status>` : '') +
          `</VersioningConfiguration>`,
      );
    }
    if (action === 'ListObjectsV2') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const startAfter = url.searchParams.get('start-after') ?? '';
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > startAfter).sort();
      res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': requestId() });
      return void res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
          `<Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount>` +
          `<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>` +
          keys
            .map(
              (k) =>
                `<Contents><Key>${xml(k)}</Key><Size>${objects.get(k)?.body.length ?? 0}</Size></Contents>`,
            )
            .join('') +
          `</ListBucketResult>`,
      );
    }
    if (action === 'PutObject') {
      if (header(req, 'if-none-match') === '*' && objects.has(key)) {
        return sendS3Error(
          res,
          412,
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
          { Condition: 'If-None-Match' },
        );
      }
      const content = decodeS3Body(req, body);
      const etag = `"${createHash('md5').update(content).digest('hex')}"`;
      const versionId = versioning.get(bucket) === 'Enabled' ? randomUUID() : undefined;
      const stored: StoredObject = {
        body: content,
        contentType: header(req, 'content-type') ?? 'binary/octet-stream',
        lastModified: new Date(),
        etag,
        ...(versionId ? { versionId } : {}),
      };
      objects.set(key, stored);
      if (versionId) {
        const byKey = versions.get(bucket) ?? new Map<string, StoredObject[]>();
        byKey.set(key, [...(byKey.get(key) ?? []), stored]);
        versions.set(bucket, byKey);
      }
      res.writeHead(200, {
        etag,
        'x-amz-request-id': requestId(),
        ...(versionId ? { 'x-amz-version-id': versionId } : {}),
      });
      return void res.end();
    }
    if (action === 'GetObject' || action === 'HeadObject') {
      const wanted = url.searchParams.get('versionId');
      const object = wanted
        ? versions
            .get(bucket)
            ?.get(key)
            ?.find((v) => v.versionId === wanted)
        : objects.get(key);
      if (!object) {
        return wanted
          ? sendS3Error(
              res,
              404,
              'NoSuchVersion',
              'The specified version does not exist.',
              { Key: key, VersionId: wanted },
              method,
            )
          : sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key }, method);
      }
      res.writeHead(200, {
        'content-type': object.contentType,
        'content-length': object.body.length,
        etag: object.etag,
        'last-modified': object.lastModified.toUTCString(),
        'accept-ranges': 'bytes',
        'x-amz-request-id': requestId(),
        ...(object.versionId ? { 'x-amz-version-id': object.versionId } : {}),
      });
      return void res.end(action === 'GetObject' ? object.body : undefined);
    }
    sendS3Error(
      res,
      501,
      'NotImplemented',
      `the fake does not implement ${method} ${url.pathname}`,
      {},
      method,
    );
  }

  /* ----------------------------------------------------------------------------------- server */

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    buckets,
    versions,
    versioning,
    parameters,
    topicArns,
    published,
    users,
    requestsOf: (service, action) =>
      requests.filter((r) => r.service === service && (action === undefined || r.action === action)),
    objectText: (bucket, key) => buckets.get(bucket)?.get(key)?.body.toString('utf8'),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      await iamBackend.close();
    },
  };
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** `Credential=AKID/20261128/us-east-1/iam/aws4_request` -> the service and the region it was signed for. */
function credentialScope(req: IncomingMessage): { region: string; service: string } | null {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
    header(req, 'authorization') ?? '',
  );
  return match?.[1] && match[2] ? { region: match[1], service: match[2] } : null;
}

function scopeService(req: IncomingMessage): string | null {
  return credentialScope(req)?.service ?? null;
}

function scopeRegion(req: IncomingMessage): string {
  return credentialScope(req)?.region ?? 'us-east-1';
}

/** Path style `/<bucket>/<key>`; virtual-hosted style `<bucket>.<host>` when the host is a name, not an IP. */
function bucketAndKey(url: URL, host: string): { bucket: string; key: string } {
  const hostname = host.replace(/:\d+$/, '');
  const segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
  if (isIP(hostname) === 0 && hostname.includes('.') && !hostname.startsWith('s3.')) {
    return { bucket: hostname.split('.')[0] ?? '', key: segments.join('/') };
  }
  return { bucket: segments[0] ?? '', key: segments.slice(1).join('/') };
}

/**
 * The SDK may send a body with `Content-Encoding: aws-chunked` (a checksum in a trailer): decode the
 * chunks `<hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0\r\n<trailers>\r\n\r\n`.
 */
function decodeS3Body(req: IncomingMessage, body: Buffer): Buffer {
  const chunked =
    (header(req, 'content-encoding') ?? '').includes('aws-chunked') ||
    (header(req, 'x-amz-content-sha256') ?? '').startsWith('STREAMING-');
  if (!chunked) return body;
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error('malformed aws-chunked body');
    const size = parseInt(body.subarray(offset, lineEnd).toString('ascii').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) throw new Error('malformed aws-chunked chunk size');
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

function forward(target: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = request(
      `${target}${req.url ?? '/'}`,
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function requestId(): string {
  return randomUUID();
}

function iso(date: Date): string {
  return date.toISOString();
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() });
  res.end(JSON.stringify(body));
}

function sendJsonError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() });
  res.end(JSON.stringify({ __type: type, message }));
}

/** `<XResponse><XResult>...</XResult><ResponseMetadata/></XResponse>`; actions without output have no Result. */
function sendQueryResult(res: ServerResponse, ns: string, action: string, inner: string | null): void {
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.end(
    `<${action}Response xmlns="${ns}">` +
      (inner === null ? '' : `<${action}Result>${inner}</${action}Result>`) +
      `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

function sendQueryError(
  res: ServerResponse,
  ns: string,
  status: number,
  code: string,
  message: string,
): void {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(
    `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${xml(message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`,
  );
}

function sendS3Error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string>,
  method = 'PUT',
): void {
  const id = requestId();
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': id });
  // A HEAD answer has no body: the SDK then names the error from the status code alone.
  if (method === 'HEAD') return void res.end();
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>` +
      Object.entries(extra)
        .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
        .join('') +
      `<RequestId>${id}</RequestId><HostId>fake-aws</HostId></Error>`,
  );
}
