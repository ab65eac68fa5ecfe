import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

interface LockEntry {
  readonly name?: string;
  readonly version?: string;
  readonly resolved?: string;
  readonly hasInstallScript?: boolean;
}

/** What `npm ci` installs, exactly: the lock file. */
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

/** The package a lock entry really is (an alias `npm:osls@...` keeps its own name in `name`). */
function realName(location: string, entry: LockEntry): string {
  return entry.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

describe('what npm ci installs', () => {
  it('never installs the Serverless Framework v4 launcher, nor runs its postinstall', () => {
    const launchers = Object.entries(lock.packages)
      .filter(([location, entry]) => location !== '' && realName(location, entry) === 'serverless')
      .map(([location, entry]) => `${location}@${entry.version ?? '?'}`);

    expect(launchers).toEqual([]);
  });

  it("satisfies serverless-step-functions' peer dependency on serverless with osls", () => {
    const entry = lock.packages['node_modules/serverless'];
    expect(entry?.name).toBe('osls');
    expect(entry?.version).toBe(lock.packages['node_modules/osls']?.version);
    expect(entry?.hasInstallScript).toBeUndefined();
  });

  it.each(['serverless', 'sls', 'osls'])('runs osls for node_modules/.bin/%s', (bin) => {
    const target = realpathSync(path.join(ROOT, 'node_modules', '.bin', bin));
    const manifest = JSON.parse(
      readFileSync(path.join(path.dirname(target), '..', 'package.json'), 'utf8'),
    ) as { name: string; version: string };

    expect(manifest.name).toBe('osls');
    expect(manifest.version).toBe(lock.packages['node_modules/osls']?.version);
  });
});
