import { escapeUnsafe } from '../lib/safe-text';
import { main } from './main';

/** Entry point of the bundled `stale-iam` command (bin/stale-iam.js loads the built copy of this file). */
export function run(): void {
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    clock: () => new Date(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `stale-iam: unexpected error: ${escapeUnsafe(error instanceof Error ? error.message : String(error))}\n`,
      );
      process.exitCode = 1;
    },
  );
}
