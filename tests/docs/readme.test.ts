import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, runCliBinary } from '../support/run-cli';

/** The README's first screen: the two commands a newcomer runs after `npm ci`. */
const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const commands = firstBlock
  .split('\n')
  .map((line) => line.replace(/#.*$/, '').trim())
  .filter((line) => line !== '');

describe("the README's first commands", () => {
  it('are npm ci, the scan of the bundled sample, and npm test', () => {
    expect(commands).toEqual([
      'npm ci',
      'npx stale-iam scan --credential-report examples/credential-report.csv --now 2026-11-28T00:00:00Z',
      'npm test',
    ]);
  });

  it('scan the sample as the README says, offline, exit 0', async () => {
    const args = (commands[1] ?? '').split(' ').slice(2);

    const run = await runCliBinary(args);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('stale-iam: 12 of 36 IAM users unused for more than 90 days');
  });
});
