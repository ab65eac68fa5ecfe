import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { TextSink } from '../../domain/organization/organization-report';
import { AwsWriteError, describeAwsError } from '../../lib/errors';

/** S3's smallest part (except the last): the upload holds at most QUEUE_SIZE of these in memory. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * An S3 object written piece by piece through a multipart upload (@aws-sdk/lib-storage), fed by a
 * stream: memory holds a few parts, not the object. A small object goes up as one PutObject.
 * `write` waits while the upload catches up; a failed upload fails the next write or `finish`, and
 * its parts are removed (the bucket's lifecycle also aborts incomplete uploads after a day).
 */
export class S3TextUpload implements TextSink {
  private readonly body = new PassThrough();
  private readonly upload: Upload;
  private readonly done: Promise<void>;
  private failure: unknown = null;

  constructor(
    private readonly target: {
      readonly client: S3Client;
      readonly bucket: string;
      readonly key: string;
      readonly contentType: string;
    },
  ) {
    this.upload = new Upload({
      client: target.client,
      params: { Bucket: target.bucket, Key: target.key, Body: this.body, ContentType: target.contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    this.done = this.upload.done().then(
      () => undefined,
      (error: unknown) => {
        this.failure = error;
        this.body.destroy();
        throw error;
      },
    );
    // Observed through write() and finish(); never an unhandled rejection in between.
    this.done.catch(() => undefined);
  }

  async write(text: string): Promise<void> {
    this.throwIfFailed();
    if (this.body.write(text)) return;
    await Promise.race([once(this.body, 'drain'), this.done]).catch((error: unknown) => {
      throw this.writeError(error);
    });
    this.throwIfFailed();
  }

  /** Ends the object and waits until S3 has it. */
  async finish(): Promise<void> {
    this.throwIfFailed();
    this.body.end();
    await this.done.catch((error: unknown) => {
      throw this.writeError(error);
    });
  }

  /** Gives the object up (after an error elsewhere): nothing is left behind. */
  async abort(): Promise<void> {
    if (this.failure) return;
    await this.upload.abort().catch(() => undefined);
    this.body.destroy();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.writeError(this.failure);
  }

  private writeError(error: unknown): AwsWriteError {
    return new AwsWriteError(
      `writing s3://${this.target.bucket}/${this.target.key} failed: ${describeAwsError(error)}`,
      { cause: error },
    );
  }
}
