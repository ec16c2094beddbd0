/**
 * Frameworks side by side: ResNet-50 at batch 1 and 8 on ort-node, ort-web,
 * tfjs (wasm) and torch (cpu), in one run; throughput and the ratio to
 * ort-node. A runtime that is unavailable here is listed as skipped.
 */
import { sweep } from '../src/api/benchmark.js';
import type { OkTrial, TrialResult } from '../src/results/types.js';

const RUNTIMES = ['ort-node', 'ort-web', 'tfjs', 'torch'];

export async function main(model = process.env.INFERMARK_BENCH_MODEL ?? 'zoo:resnet50'): Promise<void> {
  const results: TrialResult[] = await sweep({
    model, runtimes: RUNTIMES, batchSizes: [1, 8], stopping: { minTimeMs: 3000, maxTimeMs: 20_000, minSamples: 5 },
    checkOutputs: true, efficiency: false,
  });
  console.log(`frameworks: ${model}, cpu, default settings (threads: each runtime's own default)`);
  console.log('runtime   batch  median ms  items/s  ratio to ort-node  outputs');
  for (const batch of [1, 8]) {
    const base = results.find((r) => r.runtime === 'ort-node' && r.batchSize === batch && r.status === 'ok') as OkTrial | undefined;
    for (const rt of RUNTIMES) {
      const r = results.find((x) => x.runtime === rt && x.batchSize === batch);
      if (!r || r.status !== 'ok') {
        console.log(`${rt.padEnd(9)} ${String(batch).padStart(5)}  ${r?.status === 'failed' ? `failed: ${r.error.message}` : r?.status === 'skipped' ? `skipped: ${r.reason}` : 'missing'}`);
        continue;
      }
      const ratio = base ? (r.throughputPerS / base.throughputPerS).toFixed(2) : '-';
      const agreement = r.agreement;
      console.log(`${rt.padEnd(9)} ${String(batch).padStart(5)}  ${r.latencyMs.median.toFixed(1).padStart(9)}  ${r.throughputPerS.toFixed(1).padStart(7)}  ${ratio.padStart(17)}  ${agreement?.withinTolerance ? 'agree' : 'MISMATCH'}`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
