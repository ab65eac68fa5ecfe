import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AwsReadError, InvalidInputError, describeAwsError } from '../../lib/errors';

/**
 * The JSON of an object, not yet validated: `what` names it in messages ("report", ...). An S3
 * failure is an AwsReadError (its cause the SDK error, e.g. NoSuchKey); a body that is not JSON is
 * an InvalidInputError. The caller validates what it gets.
 */
export async function readJsonObject(
  client: S3Client,
  bucket: string,
  key: string,
  what: string,
): Promise<unknown> {
  const where = `s3://${bucket}/${key}`;
  let text: string;
  try {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!Body) throw new Error('empty body');
    text = await Body.transformToString('utf-8');
  } catch (error) {
    throw new AwsReadError(`reading ${what} ${where} failed: ${describeAwsError(error)}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${what} ${where} is not JSON`, { cause: error });
  }
}
