#!/usr/bin/env node
// `npm run invoke-local [-- options]`: bundles the local runner (tools/local-run, TypeScript) with
// esbuild, as scripts/bench.mjs does for the benchmark, and runs it. The runner packages the
// service with the real `osls package`, unzips the functions and walks the compiled state machine
// against AWS_ENDPOINT_URL: docs/local-run.md says what runs, `--help` lists the options.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = mkdtempSync(path.join(tmpdir(), 'stale-iam-invoke-local-'));
let code;
try {
  await build({
    entryPoints: {
      main: path.join(repoRoot, 'tools/local-run/main.ts'),
      'lambda-process': path.join(repoRoot, 'tools/local-run/lambda-process.ts'),
    },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  const { main } = createRequire(import.meta.url)(path.join(outdir, 'main.js'));
  code = await main(process.argv.slice(2), {
    repoRoot,
    runtimeScript: path.join(outdir, 'lambda-process.js'),
  });
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
// The SDK clients keep sockets open; the run is over.
process.exit(code);
