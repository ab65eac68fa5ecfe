import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A temporary directory for the calling test file (or describe block): its path now, so test
 * tables can name files in it, the directory itself made before the first test and removed after
 * the last. When every test is skipped (`-t`, no emulator) it is never made, so nothing is left.
 * Write files into it in `beforeAll` or in a test, not while the file is being collected.
 */
export function temporaryDirectory(prefix: string): string {
  const dir = path.join(tmpdir(), `stale-iam-${prefix}-${randomUUID().slice(0, 8)}`);
  beforeAll(() => mkdirSync(dir, { recursive: true }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
