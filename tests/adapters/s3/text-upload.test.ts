import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3TextUpload } from '../../../src/adapters/s3/text-upload';
import { AwsWriteError } from '../../../src/lib/errors';
import { awsError, rejectionOf } from '../../support/rejection';

const s3 = mockClient(S3Client);
const MIB = 1024 * 1024;

function upload() {
  return new S3TextUpload({
    client: new S3Client({ region: 'us-east-1' }),
    bucket: 'reports-bucket',
    key: 'reports/organization/2026/11/28/organization-2026-11-28T000000Z.json',
    contentType: 'application/json',
  });
}

async function bodyText(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new Error(`unexpected body ${typeof body}`);
}

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
  s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
  s3.on(UploadPartCommand).callsFake((input: { PartNumber?: number }) => ({
    ETag: `"part-${input.PartNumber}"`,
  }));
  s3.on(CompleteMultipartUploadCommand).resolves({ ETag: '"done"' });
  s3.on(AbortMultipartUploadCommand).resolves({});
});

describe('an S3 object written piece by piece', () => {
  it('sends a small object as one PutObject, with its pieces in order', async () => {
    const target = upload();
    await target.write('{"users":[');
    await target.write('{"userName":"ren"}');
    await target.write(']}');
    await target.finish();

    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put?.Key).toBe('reports/organization/2026/11/28/organization-2026-11-28T000000Z.json');
    expect(put?.ContentType).toBe('application/json');
    expect(await bodyText(put?.Body)).toBe('{"users":[{"userName":"ren"}]}');
    expect(s3).toHaveReceivedCommandTimes(CreateMultipartUploadCommand, 0);
  });

  it('sends a large object as a multipart upload of 5 MiB parts, whole and in order', async () => {
    const target = upload();
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 12 * 1024; i++) await target.write(line); // 12 MiB
    await target.finish();

    const parts = s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => p.PartNumber)).toEqual([1, 2, 3]);
    const sizes = await Promise.all(parts.map(async (p) => (await bodyText(p.Body)).length));
    expect(sizes).toEqual([5 * MIB, 5 * MIB, 2 * MIB]);
    expect(s3).toHaveReceivedCommandWith(CompleteMultipartUploadCommand, {
      UploadId: 'upload-1',
      MultipartUpload: {
        Parts: [
          expect.objectContaining({ PartNumber: 1, ETag: '"part-1"' }),
          expect.objectContaining({ PartNumber: 2, ETag: '"part-2"' }),
          expect.objectContaining({ PartNumber: 3, ETag: '"part-3"' }),
        ],
      },
    });
  });

  it('fails with a one-line AwsWriteError naming the object when S3 refuses it', async () => {
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    const target = upload();
    await target.write('{}');

    const error = await rejectionOf(target.finish());

    expect(error).toBeInstanceOf(AwsWriteError);
    expect(error.message).toBe(
      'writing s3://reports-bucket/reports/organization/2026/11/28/organization-2026-11-28T000000Z.json failed: AccessDenied: Access Denied',
    );
  });

  it('stops a multipart upload whose part fails, and removes what was sent', async () => {
    s3.on(UploadPartCommand).rejects(awsError('InternalError', 'part lost'));
    const target = upload();
    const line = 'y'.repeat(1024 * 1024);

    const error = await rejectionOf(
      (async () => {
        for (let i = 0; i < 20; i++) await target.write(line);
        await target.finish();
      })(),
    );

    expect(error).toBeInstanceOf(AwsWriteError);
    expect(error.message).toContain('InternalError: part lost');
    expect(s3).toHaveReceivedCommandWith(AbortMultipartUploadCommand, { UploadId: 'upload-1' });
    expect(s3).toHaveReceivedCommandTimes(CompleteMultipartUploadCommand, 0);
  });
});
