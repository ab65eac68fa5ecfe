import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseJsonText } from '../../contracts/validation';
import { AwsReadError, AwsWriteError, describeAwsError } from '../../lib/errors';

/**
 * Small JSON objects in the stack's bucket (an organisation run's account lists, the map's
 * manifest and result files, the organisation report's summary): read as text and parsed, or
 * written. What an object holds is checked by the caller's contract parser, never trusted here.
 */
export class S3JsonObjects {
  constructor(
    readonly bucket: string,
    private readonly client: S3Client,
  ) {}

  where(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async read(key: string): Promise<unknown> {
    let text: string;
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!Body) throw new Error('empty body');
      text = await Body.transformToString('utf-8');
    } catch (error) {
      throw new AwsReadError(`reading ${this.where(key)} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
    return parseJsonText(text, this.where(key));
  }

  async write(key: string, value: unknown): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: JSON.stringify(value),
          ContentType: 'application/json',
        }),
      );
    } catch (error) {
      throw new AwsWriteError(`writing ${this.where(key)} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
  }
}
