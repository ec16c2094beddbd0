/**
 * Probe overhead: the same trial with probes on and off, in one run and
 * alternating, so machine noise hits both alike. Prints each pair, the
 * ratio of medians (on / off) and the probes' own measured cost.
 * Target: ratio within 1% (0.99..1.01).
 */
import { sweep } from '../src/api/benchmark.js';
import { createProbes } from '../src/probes/index.js';
import type { OkTrial, TrialResult } from '../src/results/types.js';

/** Many pairs: trials land in this machine's speed states with probes on and off alike. */
const PAIRS = 12;
const MIN_TIME_MS = 1500;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A trial that fails for reasons unrelated to probes (a runner crash) is retried, and said so. */
async function oneTrial(path: string, probesOn: boolean, attempts = 3): Promise<OkTrial> {
  for (let i = 1; ; i++) {
    try {
      return await tryTrial(path, probesOn);
    } catch (err) {
      if (i >= attempts) throw err;
      console.log(`  (trial failed, retrying: ${(err as Error).message.split('\n')[0]})`);
    }
  }
}

async function tryTrial(path: string, probesOn: boolean): Promise<OkTrial> {
  const [r] = (await sweep({
    model: path, runtimes: ['ort-node'], settings: { intraOpNumThreads: 1 },
    stopping: { minTimeMs: MIN_TIME_MS, minSamples: 20 }, checkOutputs: false, efficiency: false,
    // 'auto' energy: every sensor this machine has, as a user's run would.
    probes: () => (probesOn ? createProbes({ sampleIntervalMs: 20, energy: 'auto' }) : []),
  })) as TrialResult[];
  if (r.status !== 'ok') throw new Error(`trial ${r.status}: ${r.status === 'failed' ? `${r.error.message}\n${r.error.stderrTail ?? ''}` : r.reason}`);
  return r;
}

export async function main(): Promise<void> {
  // A real network: a few-microsecond kernel varies more between processes than any probe could move it.
  const path = 'zoo:mobilenetv2';
  console.log('probe overhead: zoo:mobilenetv2, batch 1, ort-node cpu, intraOpNumThreads=1, sample interval 20 ms');
  const on: number[] = [];
  const off: number[] = [];
  const costMs: number[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    // Alternate which goes first so a drifting machine favours neither.
    const order = pair % 2 === 0 ? [true, false] : [false, true];
    for (const probesOn of order) {
      const r = await oneTrial(path, probesOn);
      (probesOn ? on : off).push(r.latencyMs.median);
      if (probesOn) costMs.push((r.probeOverheadMs ?? 0) / r.measuredS / 10);
      console.log(`  pair ${pair + 1} probes ${probesOn ? 'on ' : 'off'}: median ${r.latencyMs.median.toFixed(4)} ms over ${r.latencyMs.n} samples`);
    }
  }
  const ratio = median(on) / median(off);
  const paired = on.map((v, i) => v / off[i]);
  console.log(`  median with probes ${median(on).toFixed(4)} ms, without ${median(off).toFixed(4)} ms: ratio of medians ${ratio.toFixed(4)} (target 0.99..1.01)`);
  console.log(`  median of the ${PAIRS} paired ratios (on / off, same pair): ${median(paired).toFixed(4)}`);
  console.log(`  probes' own time in the parent: ${median(costMs).toFixed(3)}% of the window (median over the 'on' trials)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
