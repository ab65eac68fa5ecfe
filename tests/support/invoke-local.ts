import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../../tools/local-run/main';

/**
 * `scripts/invoke-local.mjs` run as an operator runs it (a child process: packaging with osls,
 * the real zips through the compiled state machine), against an AWS endpoint in this process or
 * beside it, with nothing of the caller's AWS settings. Resolves with how it exited, what it
 * printed, and the run it wrote with `--out`.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'invoke-local.mjs');

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
  record: RunRecord;
}

export function invokeLocal(options: {
  readonly endpoint: string;
  readonly args: readonly string[];
  /** Where `--out` and the no-AWS-config paths go. */
  readonly workDir: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}): Promise<ScriptRun> {
  const out = path.join(options.workDir, 'run.json');
  const nowhere = path.join(options.workDir, 'no-aws-config');
  // Asynchronous on purpose: an endpoint in this same process must keep answering meanwhile.
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [SCRIPT, ...options.args, '--out', out],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: options.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ENDPOINT_URL: options.endpoint,
          AWS_REGION: 'us-east-1',
          AWS_CONFIG_FILE: nowhere,
          AWS_SHARED_CREDENTIALS_FILE: nowhere,
          AWS_EC2_METADATA_DISABLED: 'true',
          POWERTOOLS_LOG_LEVEL: 'WARN',
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        try {
          const record = JSON.parse(readFileSync(out, 'utf8')) as RunRecord;
          resolve({ code, stdout, stderr, record });
        } catch (cause) {
          reject(new Error(`invoke-local wrote no --out file (exit ${code}):\n${stderr}`, { cause }));
        }
      },
    );
  });
}
