import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';

/**
 * Extracts a zip the packager wrote, with nothing but node:zlib, so the benchmark does not depend on
 * an `unzip` binary being installed. Enough for these archives: stored or deflated entries, no
 * ZIP64, no encryption; anything else is refused rather than guessed at.
 */
export function extractZip(zipFile: string, intoDir: string): string[] {
  const zip = readFileSync(zipFile);
  const end = findEndOfCentralDirectory(zip);
  const entryCount = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < entryCount; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${zipFile}: bad central directory entry`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    const target = path.resolve(intoDir, name);
    if (!target.startsWith(path.resolve(intoDir) + path.sep))
      throw new Error(`${zipFile}: unsafe entry ${name}`);
    if (name.endsWith('/')) continue;
    const dataStart =
      localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    mkdirSync(path.dirname(target), { recursive: true });
    if (method === 0) writeFileSync(target, data);
    else if (method === 8) writeFileSync(target, inflateRawSync(data));
    else throw new Error(`${zipFile}: entry ${name} uses compression method ${method}`);
    names.push(name);
  }
  return names;
}

/** The end-of-central-directory record sits at the end, before a comment of up to 64 KiB. */
function findEndOfCentralDirectory(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) return at;
  }
  throw new Error('not a zip file (no end of central directory record)');
}
