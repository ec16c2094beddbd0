/**
 * Frameworks side by side: ResNet-50, MobileNetV2, EfficientNet-B0 and
 * BERT-base (INFERMARK_BENCH_MODEL picks others, comma-separated) at batch 1
 * and 8 on the Node runtimes and the Python-hosted ones, in one run;
 * throughput, the ratio to ort-node and the share of the machine's
 * theoretical FP32 peak (the model's FLOPs at the counted rate). A runtime that is unavailable here is
 * listed as skipped. INFERMARK_BENCH_RUNTIMES narrows the runtimes.
 */
import { sweep } from '../src/api/benchmark.js';
import type { OkTrial, TrialResult } from '../src/results/types.js';

const RUNTIMES = process.env.INFERMARK_BENCH_RUNTIMES?.split(',') ?? ['ort-node', 'ort-web', 'tfjs', 'torch', 'ort-python', 'openvino', 'tvm', 'tensorflow'];
const MODELS = process.env.INFERMARK_BENCH_MODEL?.split(',') ?? ['zoo:resnet50', 'zoo:mobilenetv2', 'zoo:efficientnet-b0', 'zoo:bert-base'];

export async function main(): Promise<void> {
  for (const model of MODELS) await one(model);
}

async function one(model: string): Promise<void> {
  const results: TrialResult[] = await sweep({
    model, runtimes: RUNTIMES, batchSizes: [1, 8], stopping: { minTimeMs: 3000, maxTimeMs: 20_000, minSamples: 5 },
    checkOutputs: true, efficiency: true,
  });
  console.log(`frameworks: ${model}, cpu, default settings (threads: each runtime's own default)`);
  console.log('runtime     batch  median ms  items/s  ratio to ort-node  theoretical peak share  outputs');
  for (const batch of [1, 8]) {
    const base = results.find((r) => r.runtime === 'ort-node' && r.batchSize === batch && r.status === 'ok') as OkTrial | undefined;
    for (const rt of RUNTIMES) {
      const r = results.find((x) => x.runtime === rt && x.batchSize === batch);
      if (!r || r.status !== 'ok') {
        console.log(`${rt.padEnd(11)} ${String(batch).padStart(5)}  ${r?.status === 'failed' ? `failed: ${r.error.message}` : r?.status === 'skipped' ? `skipped: ${r.reason}` : 'missing'}`);
        continue;
      }
      const ratio = base ? (r.throughputPerS / base.throughputPerS).toFixed(2) : '-';
      const agreement = r.agreement;
      const share = r.efficiency?.theoreticalPeakShare;
      const shareText = share === undefined ? '-' : `${(share * 100).toFixed(1)}%`;
      console.log(`${rt.padEnd(11)} ${String(batch).padStart(5)}  ${r.latencyMs.median.toFixed(1).padStart(9)}  ${r.throughputPerS.toFixed(1).padStart(7)}  ${ratio.padStart(17)}  ${shareText.padStart(22)}  ${agreement?.withinTolerance ? 'agree' : 'MISMATCH'}`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
