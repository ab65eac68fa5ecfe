import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stateMachineDefinition, type AslDefinition, type CfnTemplate } from './template';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Packaging bundles three functions with esbuild; allow for a slow CI machine. */
export const PACKAGE_TIMEOUT_MS = 120_000;

/** What `serverless.yml` needs to package, copied so that parallel test files never share `.esbuild/`. */
const SERVICE_FILES = ['serverless.yml', 'serverless', 'src', 'package.json', 'tsconfig.json'];

/** Written later than the others (the remediation issue); the wiring is tested before it exists. */
const LATER_HANDLERS = ['src/functions/disable/handler.ts'];

export interface PackagedService {
  readonly template: CfnTemplate;
  /** File names in the package directory, e.g. `scan.zip`. */
  readonly artifacts: string[];
  /** Handlers that did not exist yet and were replaced by a stub in the copy. */
  readonly stubbedHandlers: string[];
  readonly cleanUp: () => void;
}

export interface PackageFailure {
  readonly exitCode: number | null;
  readonly output: string;
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

function copyService(): { dir: string; stubbedHandlers: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'stale-iam-infra-'));
  for (const entry of SERVICE_FILES) {
    cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // The template does not depend on handler code. The disable handler, until it is written, gets a
  // stub in the copy so that the remediation wiring can be checked already.
  const stubbedHandlers = LATER_HANDLERS.filter((handler) => !existsSync(path.join(REPO_ROOT, handler)));
  for (const handler of stubbedHandlers) {
    mkdirSync(path.dirname(path.join(dir, handler)), { recursive: true });
    writeFileSync(path.join(dir, handler), 'export const handler = async (event: unknown) => event;\n');
  }
  return { dir, stubbedHandlers };
}

function toArgs(params: Readonly<Record<string, string>>): string[] {
  return Object.entries(params).flatMap(([name, value]) => ['--param', `${name}=${value}`]);
}

async function runPackage(dir: string, params: Readonly<Record<string, string>>) {
  const osls = path.join(REPO_ROOT, 'node_modules', '.bin', 'osls');
  const out = path.join(dir, '.package');
  return {
    out,
    result: await run(osls, ['package', '--stage', 'test', '--package', out, ...toArgs(params)], {
      cwd: dir,
      env: offlineEnv(),
      timeout: PACKAGE_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    }),
  };
}

/** `osls package --stage test` on a copy of the service, with `--param name=value` for each entry. */
export async function packageService(
  params: Readonly<Record<string, string>> = {},
): Promise<PackagedService> {
  const { dir, stubbedHandlers } = copyService();
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  try {
    const { out } = await runPackage(dir, params);
    const template = JSON.parse(
      readFileSync(path.join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as CfnTemplate;
    const artifacts = readdirSync(out).sort();
    const usedStubs = stubbedHandlers.filter((handler) =>
      artifacts.includes(`${path.basename(path.dirname(handler))}.zip`),
    );
    if (usedStubs.length > 0) {
      console.warn(`tests/infra: ${usedStubs.join(', ')} does not exist yet; packaged a stub in its place`);
    }
    return { template, artifacts, stubbedHandlers: usedStubs, cleanUp };
  } catch (error) {
    cleanUp();
    throw error;
  }
}

/** Packaging that is expected to fail: its exit code and everything it printed. */
export async function packageServiceExpectingFailure(
  params: Readonly<Record<string, string>>,
): Promise<PackageFailure> {
  const { dir } = copyService();
  try {
    await runPackage(dir, params);
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: unknown; stderr?: unknown };
    return {
      exitCode: typeof failed.code === 'number' ? failed.code : null,
      output: `${String(failed.stdout ?? '')}\n${String(failed.stderr ?? '')}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error(`packaging with ${toArgs(params).join(' ')} succeeded, but it was expected to fail`);
}

/**
 * The service packaged once for the enclosing test file or describe block: packaged before its
 * tests run, removed after. Read `template` and the others inside tests, not at collection time.
 */
export function packagedForTests(params: Readonly<Record<string, string>> = {}): {
  readonly service: PackagedService;
  readonly template: CfnTemplate;
  readonly definition: AslDefinition;
} {
  let service: PackagedService | undefined;
  beforeAll(async () => {
    service = await packageService(params);
  }, PACKAGE_TIMEOUT_MS);
  afterAll(() => service?.cleanUp());
  const packaged = () => {
    if (!service) throw new Error('the service is packaged in beforeAll: read it inside a test');
    return service;
  };
  return {
    get service() {
      return packaged();
    },
    get template() {
      return packaged().template;
    },
    get definition() {
      return stateMachineDefinition(packaged().template, 'StaleIamStateMachine');
    },
  };
}
