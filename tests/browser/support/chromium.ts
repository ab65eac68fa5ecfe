import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { describeWhenAvailable } from '../../support/optional-tier';

/**
 * A real browser for the browser tier: Debian's `chromium` package, driven headless by
 * puppeteer-core (which, unlike `puppeteer`, downloads no browser of its own).
 *
 * Where it comes from: STALE_IAM_CHROMIUM (a path) when set, otherwise /usr/bin/chromium or
 * /usr/bin/chromium-browser. With none the tier is skipped with a message, unless
 * STALE_IAM_REQUIRE_BROWSER=1 (CI, which installs it), which makes a missing browser a failure.
 */

// A path given in STALE_IAM_CHROMIUM is the only one tried: a wrong setting is not papered over.
const CANDIDATES = process.env.STALE_IAM_CHROMIUM
  ? [process.env.STALE_IAM_CHROMIUM]
  : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const executablePath = CANDIDATES.find((p) => existsSync(p));

export const NO_BROWSER_MESSAGE =
  'browser tests skipped: no Chromium found (apt-get install chromium, or set STALE_IAM_CHROMIUM to its path)';

/** Where the tier leaves its screenshots, for people to look at (ignored by git). */
export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', '..', 'test-output', 'browser');

/** `describe` for a block that needs Chromium: skipped with a message without one, unless it is required. */
export function describeWithChromium(name: string, body: () => void): void {
  describeWhenAvailable(name, body, {
    available: executablePath !== undefined,
    what: 'Chromium',
    requiredBy: 'STALE_IAM_REQUIRE_BROWSER',
    skipped: NO_BROWSER_MESSAGE,
    missing: NO_BROWSER_MESSAGE.replace('browser tests skipped', 'no browser'),
  });
}

/** A headless Chromium for this test file, with a profile of its own that is removed afterwards. */
export function useChromium(): { readonly current: Browser } {
  let browser: Browser | undefined;
  let profile: string | undefined;
  beforeAll(async () => {
    if (!executablePath) throw new Error(NO_BROWSER_MESSAGE);
    profile = mkdtempSync(path.join(tmpdir(), 'stale-iam-chromium-'));
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir: profile,
      // --no-sandbox: CI runs as root. The others keep the browser itself off the network
      // (update checks, sync, first-run pages), so any request seen is the page's own.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });
  return {
    get current() {
      if (!browser) throw new Error('Chromium is started in beforeAll: use it inside a test');
      return browser;
    },
  };
}

export interface OpenedPage {
  readonly page: Page;
  /** Every URL the page requested, its own file included. */
  readonly requests: string[];
  /** Failed requests, console errors and warnings, uncaught exceptions. */
  readonly problems: string[];
  readonly url: string;
}

/** Opens a file in a new tab, recording its requests and every problem it reports. */
export async function openFile(
  browser: Browser,
  file: string,
  viewport = { width: 1280, height: 900 },
): Promise<OpenedPage> {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  const url = pathToFileURL(path.resolve(file)).href;
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) =>
    problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`),
  );
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e instanceof Error ? e.message : String(e)}`));
  await page.goto(url, { waitUntil: 'networkidle0' });
  return { page, requests, problems, url };
}

/** A screenshot (the full page unless told otherwise) under SCREENSHOT_DIR; returns its path. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file as `${string}.png`, fullPage });
  return file;
}
