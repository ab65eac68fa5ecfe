/** How the benchmark prints its quantities. */

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** RSS from process.resourceUsage(), which counts in KiB. Lambda's "MB" memory sizes are MiB too. */
export function mib(kibibytes: number): string {
  return Number.isNaN(kibibytes) ? 'unknown' : `${(kibibytes / 1024).toFixed(0)} MiB`;
}

export function kib(bytes: number): string {
  return `${count(Math.round(bytes / 1024))} KiB`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
