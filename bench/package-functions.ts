import { packageService } from '../tools/package-service';
import { substitute } from '../tools/template';

export interface PackagedFunction {
  readonly name: string;
  readonly zipFile: string;
  /** The handler file inside the zip, from the function's `Handler` (e.g. src/functions/scan/handler.js). */
  readonly handlerFile: string;
  /** The function's environment from the template; CloudFormation references become placeholders. */
  readonly environment: Readonly<Record<string, string>>;
}

const FUNCTION_NAMES = ['scan', 'notify', 'disable', 'render'];

/**
 * `osls package` with `--param remediation=true` (so that the disable function exists too), by the
 * packaging module that the infra tests and the local run share. The copy and its zips live in
 * `workDir`, which the caller removes.
 */
export async function packageFunctions(repoRoot: string, workDir: string): Promise<PackagedFunction[]> {
  const packaged = await packageService({
    repoRoot,
    stage: 'bench',
    params: { remediation: 'true' },
    parentDir: workDir,
  });
  return FUNCTION_NAMES.map((name) => {
    const logicalId = `${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction`;
    const fn = packaged.functions.find((f) => f.logicalId === logicalId);
    if (!fn) throw new Error(`the packaged template has no function ${logicalId}`);
    const handler = fn.properties.Handler;
    return {
      name,
      zipFile: fn.zipFile,
      // `src/functions/scan/handler.handler`: file, then the exported name.
      handlerFile: `${handler.slice(0, handler.lastIndexOf('.'))}.js`,
      environment: plainEnvironment(fn.properties.Environment?.Variables ?? {}),
    };
  });
}

/** `{ Ref: ReportBucket }` and the like only exist once deployed: a plain stand-in loads the same code. */
function plainEnvironment(variables: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, substitute(value, () => 'bench-placeholder')]),
  );
}
