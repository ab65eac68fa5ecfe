import { version } from '../../package.json';
import { EXIT, printError, type CliIo } from './io';
import { runDisableCommand } from './disable-command';
import { runScan } from './scan-command';

export { EXIT, type CliIo };

/** A subcommand: one line for the overview, and what runs it (returns the exit code). */
export interface CliCommand {
  readonly summary: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}

/** Every command, by name: `stale-iam <name> ...`. A new command is one entry here and its own file. */
export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  scan: { summary: 'report IAM users and credentials unused for more than N days', run: runScan },
  disable: {
    summary: 'take stale console passwords away, a dry run unless --enforce',
    run: runDisableCommand,
  },
};

function mainUsage(): string {
  const width = Object.keys(COMMANDS).reduce((w, name) => Math.max(w, name.length), 0);
  const commands = Object.entries(COMMANDS).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary} (stale-iam ${name} --help)`,
  );
  return `Usage: stale-iam <command> [options]

Commands:
${commands.join('\n')}

Options:
  -h, --help     show this help
  -v, --version  print the version
`;
}

/** The whole CLI: returns the exit code instead of exiting, so tests can run it in-process. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(mainUsage());
    return name === undefined ? EXIT.usage : EXIT.complete;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(`stale-iam ${version}\n`);
    return EXIT.complete;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    printError(
      io,
      `unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see stale-iam --help)`,
    );
    return EXIT.usage;
  }
  return command.run(rest, io);
}
