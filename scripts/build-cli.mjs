// Bundles the CLI into dist/cli.js. Runs as the `prepare` script, so `npm ci` leaves a working
// `npx stale-iam` behind with no build step to remember.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/index.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
