/**
 * Kernel constants needed to turn /proc figures into units: clock ticks per
 * second (utime/stime are in ticks) and the page size (stat's rss is in pages).
 * Asked of `getconf` once per process; the Linux defaults stand in when it fails.
 */
import { execFileSync } from 'node:child_process';

const DEFAULT_CLOCK_TICKS_PER_S = 100;
const DEFAULT_PAGE_SIZE_BYTES = 4096;

let cached: { clockTicksPerS: number; pageSizeBytes: number } | undefined;

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

export function systemConstants(): { clockTicksPerS: number; pageSizeBytes: number } {
  cached ??= {
    clockTicksPerS: getconf('CLK_TCK', DEFAULT_CLOCK_TICKS_PER_S),
    pageSizeBytes: getconf('PAGESIZE', DEFAULT_PAGE_SIZE_BYTES),
  };
  return cached;
}
