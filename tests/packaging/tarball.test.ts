import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT, runCliBinary } from '../support/run-cli';
import { temporaryDirectory } from '../support/temp-dir';

/**
 * The npm package as a user outside the repository gets it: packed by `npm pack` (whose `prepare`
 * builds the CLI), installed from the tarball into an empty folder with no network and an empty
 * npm cache (the CLI is one bundle: the package has no dependencies to fetch), and run from there.
 */
const run = promisify(execFile);
const TIMEOUT_MS = 120_000;
const dir = temporaryDirectory('tarball');
const NOW = '2026-11-28T00:00:00Z';

/** npm with nothing to reach: an empty cache of its own, offline, no audit or funding calls. */
const npmEnv = {
  PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  HOME: dir,
  npm_config_cache: path.join(dir, 'npm-cache'),
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

let tarball: string;
let consumer: string;

beforeAll(async () => {
  // A copy of what `npm pack` reads, so its `prepare` build never races the other tests' dist/.
  const source = path.join(dir, 'source');
  for (const entry of [
    'package.json',
    'README.md',
    'LICENSE',
    'tsconfig.json',
    'bin',
    'scripts',
    'serverless',
    'src',
    'examples',
  ]) {
    cpSync(path.join(PROJECT_ROOT, entry), path.join(source, entry), { recursive: true });
  }
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  const packed = path.join(dir, 'packed');
  mkdirSync(packed);
  await run('npm', ['pack', '--pack-destination', packed], { cwd: source, env: npmEnv, timeout: TIMEOUT_MS });
  const [file] = readdirSync(packed);
  if (!file) throw new Error('npm pack wrote no tarball');
  tarball = path.join(packed, file);

  consumer = path.join(dir, 'empty-folder');
  mkdirSync(consumer);
  await run('npm', ['install', tarball], { cwd: consumer, env: npmEnv, timeout: TIMEOUT_MS });
}, TIMEOUT_MS);

const installedBin = () => path.join(consumer, 'node_modules', '.bin', 'stale-iam');

describe('the packed npm package', () => {
  it('holds the built CLI, its launcher, the sample, the README and the licence, and nothing else', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);

    expect(stdout.trim().split('\n').sort()).toEqual([
      'package/LICENSE',
      'package/README.md',
      'package/bin/stale-iam.js',
      'package/dist/cli.js',
      'package/examples/credential-report.csv',
      'package/package.json',
    ]);
  });

  it('installs offline into an empty folder and prints its version', async () => {
    const { version } = (await import(path.join(PROJECT_ROOT, 'package.json'))) as { version: string };

    const result = await runCliBinary(['--version'], {}, { cwd: consumer, bin: installedBin() });

    expect(result).toEqual({ code: 0, stdout: `stale-iam ${version}\n`, stderr: '' });
  });

  it('runs the sample scan there exactly as the repository does', async () => {
    const sample = path.join(consumer, 'node_modules', 'stale-iam', 'examples', 'credential-report.csv');
    const args = ['scan', '--credential-report', sample, '--now', NOW];

    const installed = await runCliBinary(args, {}, { cwd: consumer, bin: installedBin() });
    const repository = await runCliBinary(args);

    expect(installed.code).toBe(0);
    expect(installed.stderr).toBe('');
    expect(installed.stdout).toContain('stale-iam: 12 of 36 IAM users unused for more than 90 days');
    expect(installed.stdout).toBe(repository.stdout);
  });

  it('runs with npx from the tarball, as `npx stale-iam` does from the registry', async () => {
    const { stdout } = await run('npx', ['--yes', `--package=${tarball}`, 'stale-iam', '--version'], {
      cwd: path.join(dir, 'packed'),
      env: npmEnv,
      timeout: TIMEOUT_MS,
    });

    expect(stdout).toMatch(/^stale-iam \d+\.\d+\.\d+\n$/);
  });
});
