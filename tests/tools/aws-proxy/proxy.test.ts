import { GetCredentialReportCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assumeRoleDenied, iamDenied, queryError } from '../../../tools/aws-proxy/faults';
import { startAwsProxy, type AwsProxy } from '../../../tools/aws-proxy/proxy';
import { actionOf } from '../../../tools/aws-proxy/request-identity';
import { rejectionOf } from '../../support/rejection';

/**
 * The proxy the emulator tests and the benchmark put in front of moto, against a tiny upstream
 * that answers like moto: AssumeRole issues a key, everything else answers 200.
 */

let upstream: Server;
let upstreamUrl: string;
let proxy: AwsProxy | undefined;
const seen: string[] = [];

const ASSUME_ROLE_ANSWER = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAMEMBERKEY0000001</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2026-11-28T01:00:00Z</Expiration></Credentials>
<AssumedRoleUser><AssumedRoleId>AROA:x</AssumedRoleId><Arn>arn:aws:sts::111122223333:assumed-role/r/x</Arn></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`;
const LIST_USERS_ANSWER = `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUsersResponse>`;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(`${req.headers.host} ${body.split('&')[0] ?? ''}`);
      if (body.includes('Action=AssumeRole')) {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(ASSUME_ROLE_ANSWER);
      } else if (req.headers['x-amz-target']) {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end('{"Accounts":[]}');
      } else {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(LIST_USERS_ANSWER);
      }
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  seen.length = 0;
});

afterAll(() => new Promise((resolve) => upstream.close(resolve)));

const config = (endpoint: string, accessKeyId = 'AKIAIOSFODNN7EXAMPLE') => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId, secretAccessKey: 's', sessionToken: 't' },
  maxAttempts: 1,
});

describe('the emulator proxy', () => {
  it("records each call by service, action and account, learning an assumed key's account from AssumeRole", async () => {
    proxy = await startAwsProxy({ target: upstreamUrl });

    await new STSClient(config(proxy.endpoint)).send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::111122223333:role/stale-iam-member',
        RoleSessionName: 's',
      }),
    );
    await new IAMClient(config(proxy.endpoint, 'ASIAMEMBERKEY0000001')).send(new ListUsersCommand({}));
    await new IAMClient(config(proxy.endpoint)).send(new ListUsersCommand({}));
    await new OrganizationsClient(config(proxy.endpoint)).send(new ListAccountsCommand({}));

    expect(proxy.calls.map((c) => [c.service, c.action, c.accountId, c.status, c.injected])).toEqual([
      ['sts', 'AssumeRole', '111122223333', 200, false],
      ['iam', 'ListUsers', '111122223333', 200, false],
      ['iam', 'ListUsers', '123456789012', 200, false],
      ['organizations', 'ListAccounts', '123456789012', 200, false],
    ]);
    expect(seen.every((line) => line.startsWith(new URL(upstreamUrl).host))).toBe(true);
  });

  it('answers with the fault instead of the emulator, as the SDK reads an AWS error', async () => {
    proxy = await startAwsProxy({
      target: upstreamUrl,
      fault: (request) => {
        if (request.action === 'AssumeRole') return assumeRoleDenied(request.parameters.get('RoleArn') ?? '');
        if (request.action === 'ListUsers')
          return iamDenied('ListUsers', 'arn:aws:sts::111122223333:assumed-role/m/s');
        if (request.action === 'GetCredentialReport')
          return queryError('iam', 410, 'ReportNotPresent', 'none');
        return undefined;
      },
    });

    const denied = await rejectionOf(
      new STSClient(config(proxy.endpoint)).send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::111122223333:role/stale-iam-member',
          RoleSessionName: 's',
        }),
      ),
    );
    const listDenied = await rejectionOf(
      new IAMClient(config(proxy.endpoint)).send(new ListUsersCommand({})),
    );
    const notPresent = await rejectionOf(
      new IAMClient(config(proxy.endpoint)).send(new GetCredentialReportCommand({})),
    );

    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toContain(
      'sts:AssumeRole on resource: arn:aws:iam::111122223333:role/stale-iam-member',
    );
    expect(listDenied.name).toBe('AccessDenied');
    expect(notPresent.name).toBe('CredentialReportNotPresentException');
    expect(seen).toEqual([]);
    expect(proxy.calls.every((c) => c.injected)).toBe(true);
  });

  it('holds every answer for the latency it is given', async () => {
    proxy = await startAwsProxy({ target: upstreamUrl, latencyMs: 60 });

    const started = performance.now();
    await new IAMClient(config(proxy.endpoint)).send(new ListUsersCommand({}));

    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(proxy.calls[0]?.endedAt).toBeGreaterThanOrEqual((proxy.calls[0]?.startedAt ?? 0) + 55);
  });

  it('names S3 operations from their REST shape', () => {
    const at = (method: string, url: string) => actionOf('s3', { method, url, headers: {}, body: '' });
    expect(at('PUT', '/bucket/reports/a.json')).toBe('PutObject');
    expect(at('GET', '/bucket/reports/a.json')).toBe('GetObject');
    expect(at('POST', '/bucket/k?uploads')).toBe('CreateMultipartUpload');
    expect(at('PUT', '/bucket/k?partNumber=2&uploadId=u')).toBe('UploadPart');
    expect(at('POST', '/bucket/k?uploadId=u')).toBe('CompleteMultipartUpload');
    expect(at('GET', '/bucket?list-type=2')).toBe('ListObjectsV2');
  });
});
