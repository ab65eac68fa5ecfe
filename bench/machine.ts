import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** The machine the figures come from: they only compare with runs on the same kind of machine. */
export interface MachineDescription {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGib: number;
  readonly os: string;
  readonly node: string;
}

export function describeMachine(): MachineDescription {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGib: os.totalmem() / 1024 ** 3,
    os: `${distributionName() ?? os.type()} (${os.platform()} ${os.release()}, ${os.arch()})`,
    node: process.version,
  };
}

/** PRETTY_NAME from /etc/os-release where there is one (Linux); null elsewhere. */
function distributionName(): string | null {
  const file = '/etc/os-release';
  if (!existsSync(file)) return null;
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync(file, 'utf8'))?.[1] ?? null;
}
