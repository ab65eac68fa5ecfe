import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { s3Body } from './s3-body';

/**
 * A versioned S3 bucket in memory behind a mocked S3 client, with the semantics the disable step
 * relies on: PutObject answers a new version id, GetObject with a VersionId reads that version (and
 * `NoSuchVersion` otherwise), `If-None-Match: *` on an existing key is `412 PreconditionFailed`
 * (as S3 and moto answer), ListObjectsV2 honours Prefix and StartAfter and lists keys in order.
 * `holdPuts` makes the puts of matching keys hang forever: a Lambda killed at that point.
 */
export interface StoredVersion {
  readonly versionId: string;
  readonly body: string;
  readonly input: PutObjectCommand['input'];
}

export class MemoryS3 {
  /** key -> versions, oldest first. */
  readonly objects = new Map<string, StoredVersion[]>();
  private held: RegExp | null = null;
  private readonly hanging: ((error: Error) => void)[] = [];
  private counter = 0;

  constructor(
    private readonly s3: AwsClientStub<S3Client>,
    readonly bucket: string,
  ) {}

  /** Wires the mock to this bucket. Call after `s3.reset()`. */
  install(): this {
    this.s3.on(PutObjectCommand).callsFake((input: PutObjectCommand['input']) => this.put(input));
    this.s3.on(GetObjectCommand).callsFake((input: GetObjectCommand['input']) => this.get(input));
    this.s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2Command['input']) => this.list(input));
    return this;
  }

  /**
   * Puts to keys matching `pattern` hang from now on (a Lambda killed at that point). `stopHolding`
   * lets later puts through while the hung ones stay hung; `release` ends those with an error, so a
   * test can let the abandoned run finish once it is done with it.
   */
  holdPuts(pattern: RegExp): { stopHolding: () => void; release: () => void } {
    this.held = pattern;
    return {
      stopHolding: () => {
        this.held = null;
      },
      release: () => {
        this.held = null;
        for (const fail of this.hanging.splice(0)) fail(new Error('the Lambda was killed'));
      },
    };
  }

  /** Stores a version directly (what a principal other than ours could have written). */
  store(key: string, body: string): string {
    return this.add({ Bucket: this.bucket, Key: key, Body: body }, body);
  }

  latest(key: string): string | undefined {
    return this.objects.get(key)?.at(-1)?.body;
  }

  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  private put(input: PutObjectCommand['input']) {
    if (input.Bucket !== this.bucket) throw s3Error('NoSuchBucket', 404);
    const key = input.Key ?? '';
    if (this.held?.test(key)) return new Promise<never>((_, reject) => this.hanging.push(reject));
    if (input.IfNoneMatch === '*' && this.objects.has(key)) throw s3Error('PreconditionFailed', 412);
    if (typeof input.Body !== 'string') throw new Error('MemoryS3 stores string bodies only');
    const versionId = this.add(input, input.Body);
    return { ETag: `"${versionId}"`, VersionId: versionId };
  }

  private add(input: PutObjectCommand['input'], body: string): string {
    const key = input.Key ?? '';
    const versionId = `v${++this.counter}`;
    this.objects.set(key, [...(this.objects.get(key) ?? []), { versionId, body, input }]);
    return versionId;
  }

  private get(input: GetObjectCommand['input']) {
    const versions = this.objects.get(input.Key ?? '');
    if (input.Bucket !== this.bucket || !versions) throw s3Error('NoSuchKey', 404);
    const version = input.VersionId ? versions.find((v) => v.versionId === input.VersionId) : versions.at(-1);
    if (!version) throw s3Error('NoSuchVersion', 404);
    return { Body: s3Body(version.body), VersionId: version.versionId };
  }

  private list(input: ListObjectsV2Command['input']) {
    const keys = this.keys(input.Prefix ?? '').filter((k) => !input.StartAfter || k > input.StartAfter);
    return { Contents: keys.map((Key) => ({ Key })), KeyCount: keys.length, IsTruncated: false };
  }
}

function s3Error(code: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: code,
  });
}
