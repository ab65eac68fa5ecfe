// Tests remove what they create (tests/support/temp-dir.ts). Anything of ours still in this run's
// temporary directory is a test that forgot to: the run fails naming it, and the directory goes.
const { readdirSync, rmSync } = require('node:fs');

module.exports = async () => {
  const dir = process.env.STALE_IAM_TEST_TMPDIR;
  if (!dir) return;
  const leftovers = readdirSync(dir).filter((name) => name.startsWith('stale-iam-'));
  rmSync(dir, { recursive: true, force: true });
  if (leftovers.length > 0) {
    throw new Error(`tests left temporary folders behind: ${leftovers.join(', ')}`);
  }
};
