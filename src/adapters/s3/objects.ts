import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseJsonText } from '../../contracts/validation';
import { AwsReadError, AwsWriteError, describeAwsError } from '../../lib/errors';

/**
 * Whole objects in the stack's bucket, read as text or JSON and written, with one-line errors that
 * name the object (`reading report s3://bucket/key failed: AccessDenied: ...`). What an object
 * holds is checked by the caller's contract parser, never trusted here.
 */
export class S3Objects {
  constructor(
    readonly bucket: string,
    private readonly client: S3Client,
  ) {}

  where(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  /**
   * `what` names the object in errors, e.g. `report ` (with its space). With `versionId`, exactly that
   * version of the object (a versioned bucket; needs s3:GetObjectVersion), never what was written since.
   */
  async readText(key: string, what = '', versionId?: string): Promise<string> {
    try {
      const { Body } = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(versionId ? { VersionId: versionId } : {}),
        }),
      );
      if (!Body) throw new Error('empty body');
      return await Body.transformToString('utf-8');
    } catch (error) {
      const version = versionId ? ` version ${versionId}` : '';
      throw new AwsReadError(
        `reading ${what}${this.where(key)}${version} failed: ${describeAwsError(error)}`,
        { cause: error },
      );
    }
  }

  async readJson(key: string, what = '', versionId?: string): Promise<unknown> {
    return parseJsonText(await this.readText(key, what, versionId), `${what}${this.where(key)}`);
  }

  /** Returns the version id S3 gave the object in a versioned bucket (none otherwise). */
  async writeText(key: string, body: string, contentType: string): Promise<string | undefined> {
    try {
      const { VersionId } = await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      );
      return VersionId;
    } catch (error) {
      throw new AwsWriteError(`writing ${this.where(key)} failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
  }

  async writeJson(key: string, value: unknown): Promise<void> {
    await this.writeText(key, JSON.stringify(value), 'application/json');
  }
}
