/**
 * Ensemble on the fake runtime: three members spinning 10 ms of CPU per call,
 * co-located on this machine's cores. The counted aggregate must come within
 * 10% of cores x 100 items/s and never above it (200 items/s on 2 cores).
 */
import { availableParallelism, loadavg } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweep } from '../src/api/benchmark.js';
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
    const [r] = await sweep({
      model: models, runtimes: ['fake'], settings: { latencyMs: 10 }, scenarios: ['ensemble'], batchSizes: [1],
      ensemble: { members: models, mode: 'processes' }, stopping: { minTimeMs: 3000, maxTimeMs: 5000 },
      checkOutputs: false, efficiency: false,
    });
    if (r.status !== 'ok') { console.log(`ensemble: ${r.status}`); return; }
    const f = (r as OkTrial).figures as EnsembleFigures;
    console.log(`ensemble, fake spin 10 ms, 3 members on ${cores} cores: aggregate ${f.aggregateCoLocatedPerS.toFixed(1)} items/s (${f.itemsCompletedTogether} items in ${f.commonWindowS?.toFixed(2)} s) against a bound of ${bound}: ratio ${(f.aggregateCoLocatedPerS / bound).toFixed(3)} (target 0.90..1.00); sequential ${f.aggregateSequentialPerS.toFixed(1)}, speedup x${f.speedup.toFixed(2)}; load average ${loadavg()[0].toFixed(1)} (other work takes its share of the cores)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
