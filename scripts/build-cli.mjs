// Bundles the CLI into dist/cli.js. Runs as the `prepare` script, so `npm ci` leaves a working
// `npx stale-iam` behind with no build step to remember.
import { build } from 'esbuild';
import { createRequire } from 'node:module';

// `--format html` renders charts with vega: the same plugin as the function bundles.
const plugins = createRequire(import.meta.url)('../serverless/esbuild-plugins.js');

await build({
  entryPoints: ['src/cli/index.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  // A map beside the bundle, for `node --enable-source-maps` in a clone; the npm package ships
  // the bundle alone (package.json `files`): inline, the map would be three quarters of it.
  sourcemap: 'linked',
  plugins,
  logLevel: 'warning',
});
