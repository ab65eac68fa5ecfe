import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openPromise } from 'yauzl';

/**
 * Extracts a zip that `osls package` wrote into `intoDir`, and returns the names of the files in it.
 * yauzl reads the archive (it is already in the tree as osls's own unzip library, and refuses
 * absolute and `..` entry names); an `unzip` program is not assumed to be installed.
 */
export async function unzip(zipFile: string, intoDir: string): Promise<string[]> {
  const root = path.resolve(intoDir);
  const zip = await openPromise(zipFile, { strictFileNames: true });
  const names: string[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const target = path.resolve(root, entry.fileName);
      if (!target.startsWith(root + path.sep)) throw new Error(`${zipFile}: unsafe entry ${entry.fileName}`);
      if (entry.fileName.endsWith('/')) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      mkdirSync(path.dirname(target), { recursive: true });
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target));
      names.push(entry.fileName);
    }
  } finally {
    zip.close();
  }
  return names;
}
