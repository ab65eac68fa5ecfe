import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { lambdaFunction, logicalIdsOfType, type CfnTemplate, type LambdaFunction } from './template';

/**
 * The service packaged by the real `osls package`, offline: what the infra tests read, what the
 * benchmark measures and what `npm run invoke-local` runs. Nothing here imitates the framework or
 * its plugins: serverless-esbuild builds the zips and serverless-step-functions compiles the state
 * machine, exactly as `npm run deploy` would.
 *
 * Callers pass the repository root: the benchmark and the local run are bundled by esbuild, where
 * `__dirname` is a temporary directory, not a place in the repository.
 */

const run = promisify(execFile);

/** Packaging bundles every function with esbuild; allow for a slow CI machine. */
export const PACKAGE_TIMEOUT_MS = 120_000;

/** What `serverless.yml` needs to package. Copied, so that parallel packagings never share `.esbuild/`. */
export const SERVICE_FILES: readonly string[] = [
  'serverless.yml',
  'serverless',
  'src',
  'package.json',
  'tsconfig.json',
];

export interface PackageOptions {
  /** The repository: where the service files and node_modules are. */
  readonly repoRoot: string;
  /** `--stage`; it names the functions, the topic, the parameters. */
  readonly stage: string;
  /** `--param name=value`, one per entry. */
  readonly params?: Readonly<Record<string, string>>;
  /** Where the temporary copy of the service goes (default: the system's temporary directory). */
  readonly parentDir?: string;
  /** More files for the copy of the service, by path relative to it (e.g. a `.env`). */
  readonly files?: Readonly<Record<string, string>>;
  /** Changes to the offline environment packaging runs in; undefined removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface PackagedFunction {
  /** Logical id in the template, e.g. `ScanLambdaFunction`. */
  readonly logicalId: string;
  readonly properties: LambdaFunction;
  /** The function's zip in the package directory. */
  readonly zipFile: string;
}

export interface PackagedService {
  readonly template: CfnTemplate;
  /** The `--package` directory: the template, `serverless-state.json` and one zip per function. */
  readonly packageDir: string;
  /** File names in the package directory, e.g. `scan.zip`. */
  readonly artifacts: string[];
  /** Every `AWS::Lambda::Function` of the template with its zip. */
  readonly functions: PackagedFunction[];
  /** Removes the copy of the service and the package. */
  readonly cleanUp: () => void;
}

export interface PackageFailure {
  readonly exitCode: number | null;
  /** Standard output, then standard error. */
  readonly output: string;
  readonly elapsedMs: number;
}

/**
 * An environment in which no AWS credentials can be found: packaging must work offline, in CI,
 * with nothing but the repository.
 */
export function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('AWS_')) delete env[name];
  }
  const nowhere = path.join(tmpdir(), 'stale-iam-no-aws-config');
  return {
    ...env,
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

function copyService(options: PackageOptions): string {
  const dir = mkdtempSync(path.join(options.parentDir ?? tmpdir(), 'stale-iam-package-'));
  for (const entry of SERVICE_FILES) {
    cpSync(path.join(options.repoRoot, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(options.repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const [file, content] of Object.entries(options.files ?? {})) {
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

function withChanges(
  env: NodeJS.ProcessEnv,
  changes: Readonly<Record<string, string | undefined>> = {},
): NodeJS.ProcessEnv {
  const changed = { ...env, ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete changed[name];
  return changed;
}

export function paramArgs(params: Readonly<Record<string, string>> = {}): string[] {
  return Object.entries(params).flatMap(([name, value]) => ['--param', `${name}=${value}`]);
}

async function runPackage(dir: string, options: PackageOptions): Promise<string> {
  const osls = path.join(options.repoRoot, 'node_modules', '.bin', 'osls');
  const out = path.join(dir, '.package');
  await run(osls, ['package', '--stage', options.stage, '--package', out, ...paramArgs(options.params)], {
    cwd: dir,
    env: withChanges(offlineEnv(), options.env),
    timeout: PACKAGE_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  return out;
}

/** Each function's zip, found by the file name its `Code.S3Key` ends with. */
function functionsOf(
  template: CfnTemplate,
  packageDir: string,
  artifacts: readonly string[],
): PackagedFunction[] {
  return logicalIdsOfType(template, 'AWS::Lambda::Function').map((logicalId) => {
    const properties = lambdaFunction(template, logicalId);
    const key = properties.Code?.S3Key;
    const zipName = typeof key === 'string' ? path.posix.basename(key) : undefined;
    if (!zipName || !artifacts.includes(zipName)) {
      throw new Error(`the package has no zip for ${logicalId} (Code.S3Key ${JSON.stringify(key)})`);
    }
    return { logicalId, properties, zipFile: path.join(packageDir, zipName) };
  });
}

/** `osls package --stage <stage> --package <dir> --param ...` on a copy of the service. */
export async function packageService(options: PackageOptions): Promise<PackagedService> {
  const dir = copyService(options);
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  try {
    const packageDir = await runPackage(dir, options);
    const template = JSON.parse(
      readFileSync(path.join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as CfnTemplate;
    const artifacts = readdirSync(packageDir).sort();
    return {
      template,
      packageDir,
      artifacts,
      functions: functionsOf(template, packageDir, artifacts),
      cleanUp,
    };
  } catch (error) {
    cleanUp();
    throw error;
  }
}

/** Packaging that is expected to fail: its exit code and everything it printed. */
export async function packageServiceExpectingFailure(options: PackageOptions): Promise<PackageFailure> {
  const dir = copyService(options);
  const started = Date.now();
  try {
    await runPackage(dir, options);
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: unknown; stderr?: unknown };
    return {
      exitCode: typeof failed.code === 'number' ? failed.code : null,
      output: `${String(failed.stdout ?? '')}${String(failed.stderr ?? '')}`,
      elapsedMs: Date.now() - started,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error(
    `packaging with ${paramArgs(options.params).join(' ')} succeeded, but it was expected to fail`,
  );
}
