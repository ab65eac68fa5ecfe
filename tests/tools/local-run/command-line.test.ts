import { main } from '../../../tools/local-run/main';

/** The runner refuses a bad command line before it packages anything or needs an endpoint. */
describe('invoke-local command line', () => {
  let stderr: string;
  let write: jest.SpyInstance;

  beforeEach(() => {
    stderr = '';
    write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
  });

  afterEach(() => write.mockRestore());

  it.each(['yesterday', '2026-11-28T09:00', '2026-02-30'])(
    'refuses --start-time %p with the usage, exit 2',
    async (value) => {
      const code = await main(['--start-time', value], {
        repoRoot: '/nowhere',
        runtimeScript: '/nowhere.js',
      });

      expect(code).toBe(2);
      expect(stderr).toContain(
        `--start-time expects an ISO-8601 instant such as 2026-11-28T00:00:00Z, got "${value}"`,
      );
      expect(stderr).toContain('Usage: npm run invoke-local');
    },
  );
});
