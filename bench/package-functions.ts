import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { offlineEnv } from '../tests/infra/support/package-service';

const run = promisify(execFile);

/** What `serverless.yml` needs to package; the copy keeps `.esbuild/` out of the working tree. */
const SERVICE_FILES = ['serverless.yml', 'serverless', 'src', 'package.json', 'tsconfig.json'];

export interface PackagedFunction {
  readonly name: string;
  readonly zipFile: string;
  /** The handler file inside the zip, from the function's `Handler` (e.g. src/functions/scan/handler.js). */
  readonly handlerFile: string;
  /** The function's environment from the template; CloudFormation references become placeholders. */
  readonly environment: Readonly<Record<string, string>>;
}

interface LambdaResource {
  readonly Type: string;
  readonly Properties: {
    readonly FunctionName?: unknown;
    readonly Handler?: unknown;
    readonly Environment?: { readonly Variables?: Readonly<Record<string, unknown>> };
  };
}

/**
 * `osls package` on a copy of the service, offline and without credentials, as the infra tests do,
 * with `--param remediation=true` so that the disable function exists too.
 */
export async function packageFunctions(repoRoot: string, workDir: string): Promise<PackagedFunction[]> {
  const dir = path.join(workDir, 'service');
  mkdirSync(dir);
  for (const entry of SERVICE_FILES) {
    cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const out = path.join(dir, '.package');
  const osls = path.join(repoRoot, 'node_modules', '.bin', 'osls');
  await run(osls, ['package', '--stage', 'bench', '--param', 'remediation=true', '--package', out], {
    cwd: dir,
    env: offlineEnv(),
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const template = JSON.parse(
    readFileSync(path.join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as {
    Resources: Record<string, LambdaResource>;
  };
  return ['scan', 'notify', 'disable'].map((name) => {
    const logicalId = `${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction`;
    const resource = template.Resources[logicalId];
    const handler = resource?.Properties.Handler;
    if (resource?.Type !== 'AWS::Lambda::Function' || typeof handler !== 'string') {
      throw new Error(`the packaged template has no function ${logicalId} with a handler`);
    }
    return {
      name,
      zipFile: path.join(out, `${name}.zip`),
      // `src/functions/scan/handler.handler`: file, then the exported name.
      handlerFile: `${handler.slice(0, handler.lastIndexOf('.'))}.js`,
      environment: plainEnvironment(resource.Properties.Environment?.Variables ?? {}),
    };
  });
}

/** `{ Ref: ReportBucket }` and the like only exist once deployed: a plain stand-in loads the same code. */
function plainEnvironment(variables: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : 'bench-placeholder',
    ]),
  );
}
