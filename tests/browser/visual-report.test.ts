import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { buildVisualReport } from '../../src/domain/visual-report/page';
import {
  SAMPLE_NOW,
  asOrganisation,
  generatedCsv,
  sampleCsv,
  visualReportInputOf,
} from '../../tools/fakes/visual-report-input';
import { describeWithChromium, openFile, screenshot, useChromium } from './support/chromium';

/**
 * What a person sees: the visual report opened in headless Chromium from a file, as it is opened
 * offline or from S3. It must load nothing but itself, log no error, show both charts and the
 * table, and the table must sort and filter. Screenshots land in test-output/browser/.
 */

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'bin', 'stale-iam.js');

describeWithChromium('the visual report in Chromium', () => {
  const chromium = useChromium();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'stale-iam-browser-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function open(name: string, html: string) {
    const file = path.join(dir, `${name}.html`);
    writeFileSync(file, html);
    const opened = await openFile(chromium.current, file);
    return { ...opened, file };
  }

  /** The page requested nothing but its own file, and reported no error or warning. */
  function expectSelfContained(opened: { requests: string[]; problems: string[]; url: string }) {
    expect(opened.requests).toEqual([opened.url]);
    expect(opened.problems).toEqual([]);
  }

  async function chartWidths(page: Page): Promise<number[]> {
    return page.$$eval('.chart svg', (svgs) => svgs.map((s) => s.getBoundingClientRect().width));
  }

  async function column(page: Page, index: number): Promise<string[]> {
    return page.$$eval(
      '#rows tr',
      (rows, i) => rows.map((r) => r.children[i as number]?.textContent ?? ''),
      index,
    );
  }

  it('shows the sample credential report (stale-iam scan --format html) with both charts and the table', async () => {
    const html = execFileSync(
      process.execPath,
      [
        CLI,
        'scan',
        '--credential-report',
        path.join(REPO, 'examples', 'credential-report.csv'),
        '--now',
        SAMPLE_NOW.toISOString(),
        '--format',
        'html',
      ],
      { encoding: 'utf8' },
    );
    const { page, ...opened } = await open('sample-cli', html);
    await screenshot(page, 'sample-cli');

    expectSelfContained(opened);
    expect(await chartWidths(page)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(Math.min(...(await chartWidths(page)))).toBeGreaterThan(300);
    expect(await page.$eval('.figures', (e) => e.textContent)).toContain('36');
    // 36 users, 45 rows (one per credential, one for each user without any).
    expect(await page.$eval('#range', (e) => e.textContent)).toContain('45 in all');
    await page.close();
  });

  it('sorts and filters the table', async () => {
    const { page, ...opened } = await open(
      'sample-history',
      await buildVisualReport(visualReportInputOf(sampleCsv(), SAMPLE_NOW)),
    );
    expectSelfContained(opened);

    // Default: the stale credentials first, the most idle of them first.
    const staleFirst = await column(page, 5);
    expect(staleFirst.slice(0, 18)).toEqual(Array(18).fill('yes'));
    expect(staleFirst[18]).toBe('no');
    const idle = (await column(page, 3)).slice(0, 18).map(Number);
    expect(idle).toEqual([...idle].sort((a, b) => b - a));

    await page.click('th[data-sort="idle"] button');
    const mostIdle = (await column(page, 3)).filter((d) => d !== '—').map(Number);
    expect(mostIdle).toEqual([...mostIdle].sort((a, b) => b - a));

    await page.click('th[data-sort="user"] button');
    const users = await column(page, 0);
    expect(users).toEqual([...users].sort());
    expect(await page.$eval('th[data-sort="user"]', (th) => th.getAttribute('aria-sort'))).toBe('ascending');

    await page.type('#filter', 'olivia');
    expect(await column(page, 0)).toEqual(['olivia.chen', 'olivia.chen']);

    await page.click('#filter', { count: 3 });
    await page.keyboard.press('Backspace');
    await page.click('#stale-only');
    const stale = await column(page, 5);
    expect(stale.length).toBe(18);
    expect(new Set(stale)).toEqual(new Set(['yes']));

    await page.select('#status', 'active');
    expect(new Set(await column(page, 1))).toEqual(new Set(['active']));
    expect(opened.problems).toEqual([]);
    await page.close();
  });

  it('shows the history, the changes since the previous run and the dry run', async () => {
    const { page, ...opened } = await open(
      'sample-history',
      await buildVisualReport(visualReportInputOf(sampleCsv(), SAMPLE_NOW)),
    );
    await screenshot(page, 'sample-history');

    expectSelfContained(opened);
    const changes = await page.$eval('#changes', (e) => e.textContent ?? '');
    expect(changes).toMatch(/Newly stale \(\d+\)/);
    expect(changes).toContain('Would be disabled in this run (dry run)');
    // Twelve runs on the trend: twelve points, one of them hollow (a partial run).
    const fills = await page.$$eval('.chart:nth-child(2) svg .mark-symbol path', (points) =>
      points.map((p) => p.getAttribute('fill')),
    );
    expect(fills).toHaveLength(12);
    expect(fills.filter((f) => f === 'white')).toHaveLength(1);
    await page.close();
  });

  it('pages through 5,000 users within the size budget', async () => {
    const html = await buildVisualReport(visualReportInputOf(generatedCsv(5_000, SAMPLE_NOW), SAMPLE_NOW));
    const { page, file, ...opened } = await open('5000-users', html);
    await screenshot(page, '5000-users');
    await screenshot(page, '5000-users-top', { fullPage: false });

    expectSelfContained(opened);
    expect(statSync(file).size).toBeLessThan(2 * 1024 * 1024);
    expect(await page.$$eval('#rows tr', (rows) => rows.length)).toBe(50);
    await page.click('#next');
    expect(await page.$eval('#range', (e) => e.textContent)).toMatch(/^Rows 51–100 of /);
    await page.type('#filter', 'user-4999');
    expect(new Set(await column(page, 0))).toEqual(new Set(['user-4999']));
    expect(opened.problems).toEqual([]);
    await page.close();
  });

  it('shows an organisation report with its accounts, escaping their names', async () => {
    const input = visualReportInputOf(sampleCsv(), SAMPLE_NOW);
    const report = asOrganisation(input.report as Parameters<typeof asOrganisation>[0]);
    const { page, ...opened } = await open('organisation', await buildVisualReport({ ...input, report }));
    await screenshot(page, 'organisation');

    expectSelfContained(opened);
    const accounts = await page.$$eval('#accounts tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));
    expect(accounts).toHaveLength(3);
    expect(accounts[1]).toContain('staging <eu> & "tests"');
    expect(accounts[2]).toContain('failed');
    await page.select('#account', '222222222222');
    expect(new Set(await column(page, 0))).toEqual(new Set(['staging <eu> & "tests" (222222222222)']));
    await page.close();
  });
});
