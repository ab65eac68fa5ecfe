import { Readable } from 'node:stream';
// @smithy/util-stream now ships inside @smithy/core (a dependency of every v3 client) as its `serde` entry.
import { sdkStreamMixin } from '@smithy/core/serde';

/** A GetObject `Body` the way the SDK hands it over, so `transformToString()` works. */
export function s3Body(text: string) {
  return sdkStreamMixin(Readable.from([Buffer.from(text, 'utf8')]));
}
