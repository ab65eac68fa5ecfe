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
