import { execFile } from 'node:child_process';
import path from 'node:path';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { main } from '../../src/cli/main';
import type { AwsFlags } from '../../src/cli/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output and a fixed clock. */
export async function runCliInProcess(
  args: string[],
  options: {
    now?: Date;
    iamClient?: (aws: AwsFlags, credentials?: AwsCredentialIdentity) => IAMClient;
    organizationsClient?: (aws: AwsFlags) => OrganizationsClient;
    stsClient?: (aws: AwsFlags) => STSClient;
    isTTY?: boolean;
    sleep?: (ms: number) => Promise<void>;
    /** Sees stdout as it is written, chunk by chunk (a test of streaming). */
    onStdout?: (text: string) => void;
  } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: {
      write: (text: string) => {
        stdout += text;
        options.onStdout?.(text);
      },
    },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.isTTY ?? false },
    clock: () => options.now ?? new Date('2026-11-28T00:00:00Z'),
    iamClient: options.iamClient,
    organizationsClient: options.organizationsClient,
    stsClient: options.stsClient,
    sleep: options.sleep,
  });
  return { code, stdout, stderr };
}

export const PROJECT_ROOT = path.join(__dirname, '..', '..');

/** The bundled sample credential report and the instant the README scans it as of. */
export const SAMPLE_REPORT = path.join(PROJECT_ROOT, 'examples', 'credential-report.csv');
export const SAMPLE_NOW = '2026-11-28T00:00:00Z';

/** `scan` of the sample as the README runs it, with `extra` arguments after. */
export function sampleScanArgs(...extra: string[]): string[] {
  return ['scan', '--credential-report', SAMPLE_REPORT, '--now', SAMPLE_NOW, ...extra];
}

/**
 * Runs the real `bin/stale-iam.js` as a user would, with the given environment. Asynchronous on
 * purpose: a loopback fake AWS endpoint in this same process must keep answering meanwhile.
 */
export function runCliBinary(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: { cwd?: string; bin?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [options.bin ?? path.join(PROJECT_ROOT, 'bin', 'stale-iam.js'), ...args],
      {
        cwd: options.cwd ?? PROJECT_ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
