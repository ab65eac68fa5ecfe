import path from 'node:path';
import {
  PACKAGE_TIMEOUT_MS,
  packageService,
  packageServiceExpectingFailure as packageExpectingFailure,
  type PackageFailure,
  type PackageOptions,
  type PackagedService,
} from '../../../tools/package-service';
import { stateMachineDefinition, type CfnTemplate } from '../../../tools/template';
import type { AslDefinition } from '../../../tools/state-machine/asl';

/** The infra tests package the `test` stage of this repository with tools/package-service.ts. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const STAGE = 'test';

export { PACKAGE_TIMEOUT_MS };

/** What else a packaging run may be given besides `--param`: files in the service, its environment. */
export type PackageExtras = Pick<PackageOptions, 'files' | 'env'>;

/** Packaging that is expected to fail: its exit code and everything it printed. */
export function packageServiceExpectingFailure(
  params: Readonly<Record<string, string>>,
  extras: PackageExtras = {},
): Promise<PackageFailure> {
  return packageExpectingFailure({ repoRoot: REPO_ROOT, stage: STAGE, params, ...extras });
}

/**
 * The service packaged once for the enclosing test file or describe block: packaged before its
 * tests run, removed after. Read `template` and the others inside tests, not at collection time.
 */
export function packagedForTests(
  params: Readonly<Record<string, string>> = {},
  extras: PackageExtras = {},
): {
  readonly service: PackagedService;
  readonly template: CfnTemplate;
  readonly definition: AslDefinition;
} {
  let service: PackagedService | undefined;
  beforeAll(async () => {
    service = await packageService({ repoRoot: REPO_ROOT, stage: STAGE, params, ...extras });
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
