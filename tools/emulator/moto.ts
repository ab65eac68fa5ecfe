import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A real implementation of the AWS APIs for the emulator tier and the benchmark: a moto server
 * (moto 5.2.2 is what this project is checked against), started on a free loopback port.
 *
 * Where it comes from, first found wins:
 *   1. STALE_IAM_MOTO_CMD, a command line that starts a server; `{port}` in it is replaced by the
 *      port (without it, the port is appended), e.g. `moto_server -H 127.0.0.1 -p {port}`;
 *   2. `moto_server` on PATH (`pip install 'moto[server]'`);
 *   3. the project's own launcher beside the repository, `../shared/tools/moto-server`.
 */

/**
 * `../shared/tools/moto-server` beside the repository: found from this file, or from the working
 * directory when this file was bundled elsewhere (the benchmark runs from the repository root).
 */
const SHARED_LAUNCHER = [path.resolve(__dirname, '..', '..'), process.cwd()]
  .map((root) => path.resolve(root, '..', 'shared', 'tools', 'moto-server'))
  .find((candidate) => existsSync(candidate));
/** The first start may install moto's Python packages (apt-get): allow for it. */
export const START_TIMEOUT_MS = 180_000;

interface Launcher {
  readonly describe: string;
  readonly argv: (port: number) => string[];
}

function findLauncher(): Launcher | null {
  const configured = process.env.STALE_IAM_MOTO_CMD?.trim();
  if (configured) {
    return {
      describe: `STALE_IAM_MOTO_CMD (${configured})`,
      argv: (port) => {
        const words = configured.split(/\s+/);
        return configured.includes('{port}')
          ? words.map((w) => w.replace('{port}', String(port)))
          : [...words, String(port)];
      },
    };
  }
  if (spawnSync('sh', ['-c', 'command -v moto_server'], { stdio: 'ignore' }).status === 0) {
    return {
      describe: 'moto_server on PATH',
      argv: (port) => ['moto_server', '-H', '127.0.0.1', '-p', String(port)],
    };
  }
  if (SHARED_LAUNCHER) {
    return { describe: SHARED_LAUNCHER, argv: (port) => [SHARED_LAUNCHER, String(port)] };
  }
  return null;
}

export const launcher = findLauncher();

export const NO_EMULATOR_MESSAGE =
  'emulator tests skipped: no moto server found (set STALE_IAM_MOTO_CMD, put moto_server on PATH with ' +
  "`pip install 'moto[server]'`, or keep ../shared/tools/moto-server beside the repository)";

/**
 * libfaketime (Debian's `faketime` package), for a server whose clock can be set back. moto dates
 * users, passwords and keys with its own clock and has no API to backdate them, while the packaged
 * functions run on the real clock (and the disable step refuses a report from the future); a test
 * that needs credentials unused for months creates them while the server's clock is set back, then
 * sets it to now. STALE_IAM_LIBFAKETIME names the library; else Debian's usual places.
 */
export const libfaketime: string | null =
  [
    process.env.STALE_IAM_LIBFAKETIME?.trim(),
    ...['x86_64-linux-gnu', 'aarch64-linux-gnu'].map(
      (arch) => `/usr/lib/${arch}/faketime/libfaketimeMT.so.1`,
    ),
    '/usr/lib/faketime/libfaketimeMT.so.1',
  ].find((candidate): candidate is string => !!candidate && existsSync(candidate)) ?? null;

export const NO_LIBFAKETIME_MESSAGE =
  'emulator tests with a settable clock skipped: no libfaketime found (`apt-get install faketime`, or set ' +
  'STALE_IAM_LIBFAKETIME to libfaketimeMT.so.1)';

export interface MotoOptions {
  /** Start the server under libfaketime, so that `setClock` can move its clock (needs `libfaketime`). */
  readonly settableClock?: boolean;
}

export interface Moto {
  /** `http://127.0.0.1:<port>`: give it to the SDK as `endpoint` or AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  /** Wipes every account, organization and resource (POST /moto-api/reset). Re-assume roles after it. */
  reset(): Promise<void>;
  /**
   * Moves the server's clock to `offsetDays` from the real clock (0: back to now) and returns once
   * the server answers with it. Only for a server started with `settableClock`.
   */
  setClock(offsetDays: number): Promise<void>;
  stop(): Promise<void>;
}

/** libfaketime reads the offset file again at most once a second. */
const FAKETIME_CACHE_SECONDS = 1;
const CLOCK_SETTLE_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;

export async function startMoto(options: MotoOptions = {}): Promise<Moto> {
  if (!launcher) throw new Error(NO_EMULATOR_MESSAGE);
  const port = await freePort();
  const [command, ...args] = launcher.argv(port);
  if (!command) throw new Error(`cannot start ${launcher.describe}`);
  // Never MOTO_ACCOUNT_ID: it would override the account moto derives from each access key.
  const env = { ...process.env };
  delete env.MOTO_ACCOUNT_ID;
  const clock = options.settableClock ? settableClock(env) : null;
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, () => stderr);
  } catch (error) {
    clock?.dispose();
    throw error;
  }
  return {
    endpoint,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
    },
    setClock: async (offsetDays) => {
      if (!clock) throw new Error('setClock needs a server started with { settableClock: true }');
      clock.set(offsetDays);
      await waitForClock(endpoint, offsetDays);
    },
    stop: () => stop(child).finally(() => clock?.dispose()),
  };
}

/**
 * Preloads libfaketime into the server (`env` is the child's environment), its offset in a file of
 * its own that `set` rewrites (`-100d`, `+0d`). The monotonic clock is left alone: timeouts and
 * sleeps inside the server keep working.
 */
function settableClock(env: NodeJS.ProcessEnv): { set(offsetDays: number): void; dispose(): void } {
  if (!libfaketime) throw new Error(NO_LIBFAKETIME_MESSAGE);
  const dir = mkdtempSync(path.join(tmpdir(), 'stale-iam-moto-clock-'));
  const file = path.join(dir, 'offset');
  const set = (offsetDays: number) =>
    writeFileSync(file, `${offsetDays < 0 ? '-' : '+'}${Math.abs(Math.trunc(offsetDays))}d\n`);
  set(0);
  Object.assign(env, {
    LD_PRELOAD: [libfaketime, env.LD_PRELOAD].filter(Boolean).join(' '),
    FAKETIME_TIMESTAMP_FILE: file,
    FAKETIME_CACHE_DURATION: String(FAKETIME_CACHE_SECONDS),
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  });
  return { set, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Until the server's `Date` header (whole seconds) is `offsetDays` from the real clock, give or take a minute. */
async function waitForClock(endpoint: string, offsetDays: number): Promise<void> {
  const deadline = Date.now() + CLOCK_SETTLE_TIMEOUT_MS;
  let seen = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${endpoint}/moto-api/`);
    seen = response.headers.get('date') ?? '';
    const skew = Date.parse(seen) - (Date.now() + offsetDays * DAY_MS);
    if (Math.abs(skew) < 60_000) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `the emulator's clock did not move to ${offsetDays} days from now within ${CLOCK_SETTLE_TIMEOUT_MS / 1000} s (its Date header: ${seen})`,
  );
}

async function waitUntilReady(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the emulator (${launcher?.describe}) exited with ${child.exitCode}: ${stderr()}`);
    }
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop(child);
  throw new Error(
    `the emulator did not answer at ${endpoint} within ${START_TIMEOUT_MS / 1000} s: ${stderr()}`,
  );
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
