// The CLI tests run the real `stale-iam` binary, which loads the bundle in dist/: build it first so
// they always test the current source, not a bundle left over from an earlier `npm ci`.
//
// Every temporary file of the run (test files, the CLI and packaging they start) goes under one
// directory of its own: TMPDIR is set before the workers start, so they and their child processes
// inherit it. global-teardown.js then fails the run if a test left a folder behind.
const { execFileSync } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

module.exports = async () => {
  execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build-cli.mjs')], {
    stdio: 'inherit',
  });
  process.env.STALE_IAM_TEST_TMPDIR = mkdtempSync(path.join(tmpdir(), 'stale-iam-test-run-'));
  process.env.TMPDIR = process.env.STALE_IAM_TEST_TMPDIR;
};
