/** Shared by the browser-runtime tests: Debian's chromium required under CI=true, a tiny model, a quick stopping rule. */
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import type { StoppingRule } from '../src/runtimes/runtime.js';
import { readProcStat } from '../src/probes/proc-stat.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Outside CI a machine without chromium skips, saying how to install it; under CI=true the test runs (and fails without it). */
export function needChromium(t: TestContext): boolean {
  if (existsSync(CHROMIUM) || process.env.CI === 'true') return true;
  const why = `${CHROMIUM} is not installed; run 'bash scripts/setup-system.sh' to install it (under CI=true this test fails instead)`;
  console.log(`# skipped: ${why}`);
  t.skip(why);
  return false;
}

export const QUICK_RULE: StoppingRule = { warmupRuns: 2, warmupMaxMs: 2000, minSamples: 5, minTimeMs: 50, maxTimeMs: 1500, targetCiRel: 0.5, maxSamples: 200 };

/** Pids that are still running processes (a zombie is not). */
export function running(pids: number[]): number[] {
  return pids.filter((pid) => { const s = readProcStat('/proc', pid); return s !== undefined && s.state !== 'Z'; });
}
