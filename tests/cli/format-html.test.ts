import path from 'node:path';
import { contentSecurityPolicy } from '../../src/domain/visual-report/page';
import { PROJECT_ROOT, runCliBinary, runCliInProcess } from '../support/run-cli';

const SAMPLE = path.join(PROJECT_ROOT, 'examples', 'credential-report.csv');

describe('stale-iam scan --format html', () => {
  it('prints one self-contained page for the scan, with no history to compare with', async () => {
    const run = await runCliInProcess([
      'scan',
      '--credential-report',
      SAMPLE,
      '--now',
      '2026-11-28T00:00:00Z',
      '--format',
      'html',
    ]);

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(run.stdout).toContain(`content="${contentSecurityPolicy()}"`);
    expect(run.stdout).toContain('<title>stale-iam report: 123456789012</title>');
    expect(run.stdout.match(/<svg /g)).toHaveLength(2);
    expect(run.stdout).toContain('There is no earlier run to compare with.');
    expect(run.stdout.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('works from the built binary too (vega bundled into dist/cli.js)', async () => {
    const run = await runCliBinary([
      'scan',
      '--credential-report',
      SAMPLE,
      '--format',
      'html',
      '--now',
      '2026-11-28',
    ]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('<span class="value">12</span><span class="label">stale users</span>');
  });
});
