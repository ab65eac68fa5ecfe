/**
 * yauzl ships no type declarations (and @types/yauzl describes 2.x): this declares the part of the
 * 3.x Promise API that tools/unzip.ts uses, as yauzl's README documents it.
 */
declare module 'yauzl' {
  import type { Readable } from 'node:stream';

  export interface Entry {
    /** The entry's path inside the archive; folders end with `/`. yauzl refuses absolute and `..` paths. */
    readonly fileName: string;
    readonly uncompressedSize: number;
  }

  export interface ZipFile {
    /** Entries one by one (needs `lazyEntries`, which openPromise sets). */
    eachEntry(): AsyncIterable<Entry>;
    openReadStreamPromise(entry: Entry): Promise<Readable>;
    close(): void;
  }

  export function openPromise(path: string, options?: { strictFileNames?: boolean }): Promise<ZipFile>;
}
