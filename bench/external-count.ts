/**
 * External count: the parent times the measured window itself (from the
 * runner's window-start message to its window-end message) and divides the
 * items the runner completed by that wall time; the ratio against the
 * reported throughputPerS shows the counted rate is what happened.
 * ResNet-50 and MobileNetV2 at batch 1 and 8 on onnxruntime-node. Target: 1 +- 0.02.
 */
import { loadavg } from 'node:os';
import { sweep } from '../src/api/benchmark.js';
import type { Probe } from '../src/probes/probe.js';
import type { OkTrial } from '../src/results/types.js';

/** A probe that reads only the parent's clock at the window's two ends. */
function windowClock(): { probe: Probe; windowS: () => number } {
  let start = NaN;
  let end = NaN;
  return {
    probe: {
      name: 'window-clock',
      attach() {},
      windowStart() { start = performance.now(); },
      windowEnd() { end = performance.now(); },
      async finish() { return {}; },
    },
    windowS: () => (end - start) / 1000,
  };
}

export async function main(): Promise<void> {
  console.log('external count: items the runner completed over the window the parent timed, against throughputPerS (ort-node cpu)');
  for (const model of ['zoo:resnet50', 'zoo:mobilenetv2']) {
    for (const batch of [1, 8]) {
      const clocks: ReturnType<typeof windowClock>[] = [];
      const [r] = await sweep({
        model, runtimes: ['ort-node'], batchSizes: [batch],
        stopping: { minTimeMs: 5000, maxTimeMs: 10_000, minSamples: 10 },
        checkOutputs: false, efficiency: false,
        probes: () => { const c = windowClock(); clocks.push(c); return [c.probe]; },
      });
      if (r.status !== 'ok') { console.log(`  ${model} batch ${batch}: ${r.status}`); continue; }
      const t = r as OkTrial;
      const parentS = clocks[clocks.length - 1].windowS();
      const external = (t.samplesMs.length * batch) / parentS;
      console.log(`  ${model} batch ${batch}: throughputPerS ${t.throughputPerS.toFixed(2)}, parent count ${external.toFixed(2)} items/s over ${parentS.toFixed(2)} s, ratio ${(t.throughputPerS / external).toFixed(4)}; per-call figure ${t.perCallItemsPerS?.toFixed(2)} (x${((t.perCallItemsPerS ?? NaN) / t.throughputPerS).toFixed(3)}); load average ${loadavg()[0].toFixed(1)}`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
