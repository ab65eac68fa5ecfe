import { writeFileSync } from 'node:fs';

/**
 * Preloaded into the CLI's own process by the benchmark (`node --require cli-rss-probe.js
 * bin/stale-iam.js ...`): writes the process's peak RSS (KiB) to STALE_IAM_BENCH_RSS_FILE as it
 * exits, so the figure is the CLI's, not the benchmark's.
 */
const out = process.env.STALE_IAM_BENCH_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
