import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzip } from '../tools/unzip';
import type { PackagedFunction } from './package-functions';

const run = promisify(execFile);

export interface BundleMeasurement {
  readonly name: string;
  readonly zipBytes: number;
  /** Bytes of the files in the zip, unzipped. */
  readonly unzippedBytes: number;
  /** Median require() time over `samples` fresh processes. */
  readonly medianLoadMs: number;
  readonly samplesMs: readonly number[];
}

/**
 * Zipped size, and cold load time: `require()` of the unzipped handler in a fresh `node` process,
 * `samples` times, one after another so the processes do not compete for the CPU.
 */
export async function measureBundle(
  fn: PackagedFunction,
  options: { probeScript: string; workDir: string; samples: number },
): Promise<BundleMeasurement> {
  const dir = path.join(options.workDir, `unzipped-${fn.name}`);
  const files = await unzip(fn.zipFile, dir);
  const env = await loadEnvironment(fn);
  const samplesMs: number[] = [];
  for (let i = 0; i < options.samples; i++) {
    const { stdout } = await run(process.execPath, [options.probeScript, path.join(dir, fn.handlerFile)], {
      cwd: dir,
      env,
      timeout: 30_000,
    });
    samplesMs.push((JSON.parse(stdout) as { loadMs: number }).loadMs);
  }
  return {
    name: fn.name,
    zipBytes: statSync(fn.zipFile).size,
    unzippedBytes: files.reduce((sum, file) => sum + statSync(path.join(dir, file)).size, 0),
    medianLoadMs: median(samplesMs),
    samplesMs,
  };
}

/**
 * The function's own environment (from the template) plus what the Lambda runtime sets, with every
 * AWS call sent to a closed local port and no real credentials or config: nothing can leave the machine.
 */
async function loadEnvironment(fn: PackagedFunction): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_') && !name.startsWith('NODE_')) env[name] = value;
  }
  return {
    ...env,
    ...fn.environment,
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: `stale-iam-bench-${fn.name}`,
    AWS_ACCESS_KEY_ID: 'a',
    AWS_SECRET_ACCESS_KEY: 'b',
    AWS_ENDPOINT_URL: `http://127.0.0.1:${await closedPort()}`,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** A port that was free a moment ago: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the loopback listener');
  return address.port;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}
