#!/usr/bin/env node
'use strict';
// The CLI is bundled to dist/ by `npm ci` / `npm install` (the `prepare` script), so it starts fast
// and needs no TypeScript tooling at run time.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
let cli;
try {
  cli = require('../dist/cli.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('stale-iam: the CLI is not built yet; run `npm ci` (or `npm run build`) first\n');
    process.exit(1);
  }
  throw error;
}
cli.run();
