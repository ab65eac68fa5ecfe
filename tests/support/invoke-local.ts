import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Runs `scripts/invoke-local.mjs` (what an operator runs) as a child process; see docs/local-run.md. */

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'invoke-local.mjs');
export const INVOKE_LOCAL_TIMEOUT_MS = 120_000;

export interface InvokeLocalRun<R> {
  code: number;
  stdout: string;
  stderr: string;
  /** What the script wrote with `--out`: its steps, results and error. */
  record: R;
}

/**
 * `invoke-local <args> --out <outFile>` with only PATH, HOME and `env` in its environment.
 * Asynchronous on purpose: a fake endpoint in this process must keep answering meanwhile.
 */
export function runInvokeLocal<R>(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  outFile: string,
): Promise<InvokeLocalRun<R>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [SCRIPT, ...args, '--out', outFile],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: INVOKE_LOCAL_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        try {
          const record = JSON.parse(readFileSync(outFile, 'utf8')) as R;
          resolve({ code, stdout, stderr, record });
        } catch (cause) {
          reject(new Error(`invoke-local wrote no --out file (exit ${code}):\n${stderr}`, { cause }));
        }
      },
    );
  });
}
