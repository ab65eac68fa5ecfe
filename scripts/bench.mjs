// `npm run bench [-- options]`: bundles the benchmark's four entry points with esbuild and runs the
// orchestrator (bench/run.ts) with --expose-gc, so its in-process heap figures start from a
// collected heap. The orchestrator forks scan-child.js per scan and load-probe.js per bundle load,
// and preloads cli-rss-probe.js into the CLI it runs in organisation mode.
// Results vary by machine: compare runs on the same machine (docs/benchmarks.md says which).
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The visual report case renders charts with vega: the same plugin as the function bundles.
const plugins = createRequire(import.meta.url)('../serverless/esbuild-plugins.js');
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = mkdtempSync(path.join(tmpdir(), 'stale-iam-bench-build-'));
try {
  await build({
    entryPoints: {
      run: path.join(repoRoot, 'bench/run.ts'),
      'scan-child': path.join(repoRoot, 'bench/scan-child.ts'),
      'load-probe': path.join(repoRoot, 'bench/load-probe.ts'),
      'cli-rss-probe': path.join(repoRoot, 'bench/cli-rss-probe.ts'),
    },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    plugins,
    logLevel: 'warning',
  });
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', path.join(outdir, 'run.js'), ...process.argv.slice(2)],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
