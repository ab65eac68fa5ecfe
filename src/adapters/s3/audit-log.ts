import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ActionRecord } from '../../domain/remediation/execute';
import { AwsWriteError, describeAwsError } from '../../lib/errors';

/** The remediation audit trail: one JSON line per action (or would-be action), one object per run. */
export class S3AuditLog {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = new S3Client({}),
  ) {}

  /** `audit/123456789012/2026/11/28/disable-2026-11-28T000512Z.jsonl` */
  static keyFor(accountId: string | null, runAt: Date): string {
    const iso = runAt.toISOString();
    const day = iso.slice(0, 10).replace(/-/g, '/');
    const stamp = iso.replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
    return `audit/${accountId ?? 'unknown-account'}/${day}/disable-${stamp}.jsonl`;
  }

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
