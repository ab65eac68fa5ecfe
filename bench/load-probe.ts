/**
 * Child-process entry of `npm run bench`: `node load-probe.js <handler.js>` requires one unzipped
 * Lambda bundle in a fresh process and writes how long the require took, as JSON, to stdout.
 *
 * Loading a handler starts work that needs AWS (@middy/ssm prefetches its parameters). The
 * orchestrator points AWS_ENDPOINT_URL at a closed local port so that work fails fast and offline;
 * its rejection is caught here so it can neither crash the probe nor be counted, and the probe
 * exits as soon as the figure is written.
 */
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

process.on('unhandledRejection', () => undefined);

const handlerFile = path.resolve(process.argv[2] ?? '');
const load = createRequire(handlerFile);
const start = performance.now();
const loaded = load(handlerFile) as { handler?: unknown };
const loadMs = performance.now() - start;
if (typeof loaded.handler !== 'function') {
  writeSync(2, `${handlerFile} exports no handler function\n`);
  process.exit(1);
}
// writeSync: the figure must be out before process.exit, whatever stdout is.
writeSync(1, JSON.stringify({ loadMs }));
process.exit(0);
