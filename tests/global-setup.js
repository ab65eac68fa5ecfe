// The CLI tests run the real `stale-iam` binary, which loads the bundle in dist/: build it first so
// they always test the current source, not a bundle left over from an earlier `npm ci`.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build-cli.mjs')], {
    stdio: 'inherit',
  });
};
