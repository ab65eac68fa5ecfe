// Bundles bench/run.ts with esbuild and runs it with --expose-gc, so heap figures start from a
// collected heap. Results vary by machine: compare runs on the same machine.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'stale-iam-bench-')), 'bench.js');
await build({
  entryPoints: ['bench/run.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--expose-gc', outfile], {
  stdio: 'inherit',
  env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
process.exitCode = run.status ?? 1;
