/**
 * What an AWS request is, read from the wire the way the services themselves read it: the service
 * and access key from the SigV4 Authorization header, the action from the query protocol's form
 * body (IAM, STS, SNS: `Action=...`), the JSON protocols' X-Amz-Target (Organizations, SSM), or the
 * REST shape of an S3 request. Pure functions, so they are tested on their own.
 */

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/iam/aws4_request, ...` -> AKID and iam. */
function credentialScope(headers: Headers): { accessKeyId: string; service: string } | null {
  const match = /Credential=([A-Z0-9]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(
    header(headers, 'authorization') ?? '',
  );
  return match ? { accessKeyId: match[1] ?? '', service: match[2] ?? '' } : null;
}

export function accessKeyOf(headers: Headers): string | null {
  return credentialScope(headers)?.accessKeyId ?? null;
}

export function serviceOf(headers: Headers): string {
  return credentialScope(headers)?.service ?? 'unknown';
}

/** The form parameters of a query-protocol request (empty for any other body). */
export function formParameters(headers: Headers, body: string): URLSearchParams {
  const type = header(headers, 'content-type') ?? '';
  return type.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(body)
    : new URLSearchParams();
}

export function actionOf(
  service: string,
  request: { method: string; url: string; headers: Headers; body: string },
): string {
  const target = header(request.headers, 'x-amz-target');
  if (target) return target.slice(target.lastIndexOf('.') + 1);
  const action = formParameters(request.headers, request.body).get('Action');
  if (action) return action;
  if (service === 's3') return s3Action(request.method, request.url);
  return `${request.method} ${request.url.split('?')[0] ?? ''}`;
}

/** S3's REST operations by method, path depth and query: enough to count and to tell reads from writes. */
function s3Action(method: string, url: string): string {
  const [path = '', query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  const hasKey = path.split('/').filter(Boolean).length > 1;
  if (method === 'POST' && params.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && params.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'DELETE' && params.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'PUT' && params.has('partNumber')) return 'UploadPart';
  if (!hasKey)
    return method === 'PUT' ? 'CreateBucket' : method === 'GET' ? 'ListObjectsV2' : `${method}Bucket`;
  return (
    { GET: 'GetObject', PUT: 'PutObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' }[method] ??
    `${method}Object`
  );
}

/** `arn:aws:iam::111122223333:role/x` -> 111122223333. */
export function accountOfArn(arn: string | null | undefined): string | null {
  return /^arn:[^:]+:iam::(\d{12}):/.exec(arn ?? '')?.[1] ?? null;
}

/** The temporary access key in an AssumeRole answer (XML), or null. */
export function issuedAccessKey(responseBody: string): string | null {
  return /<AccessKeyId>([A-Z0-9]+)<\/AccessKeyId>/.exec(responseBody)?.[1] ?? null;
}
