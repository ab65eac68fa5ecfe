import type { ReadProgress, ReportWait } from '../domain/scan/ports';
import type { CliIo } from './io';
import type { ScanSourceChoice } from './options';

export interface Progress {
  readonly onProgress?: (progress: ReadProgress) => void;
  readonly onWait?: (wait: ReportWait) => void;
  /** Erases the progress line (before the report or an error is printed). */
  readonly clear: () => void;
}

/**
 * One rewritten line on stderr while a live read takes time: `reading users 120/340` for the API,
 * `waiting for the credential report ...` while AWS generates it. Only when stderr is a terminal,
 * so a pipe or a CI log gets nothing but the report.
 */
export function progressReporter(io: CliIo, source: ScanSourceChoice): Progress {
  const enabled = io.stderr.isTTY === true && source.kind !== 'file';
  let shown = false;
  let lastDrawn = 0;
  const draw = (text: string) => {
    shown = true;
    io.stderr.write(`\r\x1b[Kstale-iam: ${text}`);
  };
  if (!enabled) return { clear: () => undefined };
  if (source.kind === 'credential-report') draw('asking IAM for the credential report');
  return {
    onProgress:
      source.kind === 'api'
        ? ({ done, total }) => {
            const now = Date.now();
            if (done !== total && now - lastDrawn < 100) return;
            lastDrawn = now;
            draw(`reading users ${done}/${total}`);
          }
        : undefined,
    onWait: ({ lastAnswer, waitedMs, nextWaitMs }) =>
      draw(
        `waiting for AWS to generate the credential report (${lastAnswer}; waited ${Math.round(waitedMs / 1000)} s, next check in ${Math.round(nextWaitMs / 1000)} s)`,
      ),
    clear: () => {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

export interface OrganizationProgress {
  /** Before the accounts are listed. */
  readonly listing: () => void;
  /** The accounts are listed: `total` to scan. */
  readonly scanning: (total: number) => void;
  /** An account's scan ended (scanned or failed), in whatever order they end. */
  readonly accountDone: (failed: boolean) => void;
  /** Erases the line (before the report's text is written to the same terminal). */
  readonly clear: () => void;
  /** Draws the last line again after a `clear`. */
  readonly redraw: () => void;
}

/**
 * `--organization`: one rewritten line on stderr, `scanning accounts 12/100 (1 failed)`, as accounts
 * end; only when stderr is a terminal. The accounts' own reads show nothing: ten at once would
 * only flicker.
 */
export function organizationProgress(io: CliIo): OrganizationProgress {
  const nothing = () => undefined;
  if (io.stderr.isTTY !== true) {
    return { listing: nothing, scanning: nothing, accountDone: nothing, clear: nothing, redraw: nothing };
  }
  let shown = false;
  let last = '';
  let total = 0;
  let done = 0;
  let failed = 0;
  const draw = (text: string) => {
    shown = true;
    last = text;
    io.stderr.write(`\r\x1b[Kstale-iam: ${text}`);
  };
  const drawCount = () =>
    draw(`scanning accounts ${done}/${total}${failed > 0 ? ` (${failed} failed)` : ''}`);
  return {
    listing: () => draw("listing the organization's accounts"),
    scanning: (accounts) => {
      total = accounts;
      drawCount();
    },
    accountDone: (accountFailed) => {
      done++;
      if (accountFailed) failed++;
      drawCount();
    },
    clear: () => {
      if (shown) io.stderr.write('\r\x1b[K');
      shown = false;
    },
    redraw: () => {
      if (!shown && last) draw(last);
    },
  };
}
