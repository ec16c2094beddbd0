/**
 * Ensemble on the fake runtime: three members spinning 10 ms of CPU per call,
 * co-located on this machine's cores. The counted aggregate must come within
 * 10% of cores x 100 items/s and never above it (200 items/s on 2 cores).
 * On a shared machine other work takes part of the cores: the members' own CPU
 * time over their windows (cores busy, read from /proc) says how many cores they
 * got, and 100 items/s per busy core is the bound the count is checked against.
 */
import { availableParallelism, loadavg } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweep } from '../src/api/benchmark.js';
import { createProbes } from '../src/probes/index.js';
import { GraphBuilder } from '../src/onnx/builder.js';
import type { EnsembleFigures, OkTrial } from '../src/results/types.js';

function addModel(width: number): Uint8Array {
  const g = new GraphBuilder(`add_${width}`);
  const x = g.input('x', 'float32', ['batch', width]);
  const y = g.node('Add', [x, x], {}, { outputs: ['y'] });
  g.output(y, 'float32', ['batch', width]);
  return g.toBytes({ opset: 13 });
}

export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'infermark-bench-ensemble-'));
  try {
    const models = [4, 5, 6].map((w) => { const p = join(dir, `m${w}.onnx`); writeFileSync(p, addModel(w)); return p; });
    const cores = Math.min(3, availableParallelism());
    const bound = cores * 100;
    const loadBefore = loadavg()[0];
    const [r] = await sweep({
      probes: () => createProbes({ sampleIntervalMs: 100, energy: 'off' }),
      model: models, runtimes: ['fake'], settings: { latencyMs: 10 }, scenarios: ['ensemble'], batchSizes: [1],
      ensemble: { members: models, mode: 'processes' }, stopping: { minTimeMs: 3000, maxTimeMs: 5000 },
      checkOutputs: false, efficiency: false,
    });
    if (r.status !== 'ok') { console.log(`ensemble: ${r.status}`); return; }
    const f = (r as OkTrial).figures as EnsembleFigures;
    const busy = (r as OkTrial).cpu?.coresBusy;
    console.log(`ensemble, fake spin 10 ms, 3 members on ${cores} cores: aggregate ${f.aggregateCoLocatedPerS.toFixed(1)} items/s (${f.itemsCompletedTogether} items in ${f.commonWindowS?.toFixed(2)} s) against a bound of ${bound}: ratio ${(f.aggregateCoLocatedPerS / bound).toFixed(3)} (target 0.90..1.00); sequential ${f.aggregateSequentialPerS.toFixed(1)}, speedup x${f.speedup.toFixed(2)}; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (other work takes its share of the cores)`);
    if (busy !== undefined) console.log(`  the members kept ${busy.toFixed(2)} cores busy together: at 100 items/s per busy core the bound is ${(100 * busy).toFixed(1)} items/s; aggregate / that ${(f.aggregateCoLocatedPerS / (100 * busy)).toFixed(3)} (1.00: every CPU second they got became counted items)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
