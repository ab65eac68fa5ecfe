import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ActionRecord } from '../../domain/remediation/execute';
import { AwsWriteError, describeAwsError } from '../../lib/errors';

/** The remediation audit trail: one JSON line per action (or would-be action), one object per run. */
export class S3AuditLog {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = new S3Client({}),
  ) {}

  async write(key: string, records: readonly ActionRecord[]): Promise<void> {
    const body = records.map((r) => JSON.stringify(r)).join('\n') + (records.length > 0 ? '\n' : '');
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/x-ndjson',
        }),
      );
    } catch (error) {
      throw new AwsWriteError(
        `writing the audit trail s3://${this.bucket}/${key} failed: ${describeAwsError(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}
