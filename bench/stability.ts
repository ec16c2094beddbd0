/**
 * Stability: the same trial five times in fresh processes; the spread of the
 * medians, (max - min) / median. Target: within 3% on this machine. A bare
 * onnxruntime-node loop, also five fresh processes, interleaved with
 * infermark's, is the control: what spread the machine itself gives.
 */
import { sweep } from '../src/api/benchmark.js';
import type { OkTrial } from '../src/results/types.js';
import { resolveModelRef } from '../src/zoo/resolve.js';
import { bareLoopMedianMs } from './bare-loop.js';

const RUNS = 5;
const MEASURE_MS = 2000;

function spreadRel(medians: number[]): number {
  const s = [...medians].sort((a, b) => a - b);
  return (s[s.length - 1] - s[0]) / s[s.length >> 1];
}

export async function main(): Promise<void> {
  const ref = 'zoo:mobilenetv2';
  const { path } = await resolveModelRef(ref);
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [r] = (await sweep({
      model: ref, runtimes: ['ort-node'], settings: { intraOpNumThreads: 1 },
      checkOutputs: false, efficiency: false, stopping: { minTimeMs: MEASURE_MS },
    })) as OkTrial[];
    ours.push(r.latencyMs.median);
    bare.push(bareLoopMedianMs(path, 1, MEASURE_MS));
  }
  console.log(`stability: ${ref}, batch 1, ort-node cpu, intraOpNumThreads=1, ${RUNS} fresh processes each, interleaved`);
  console.log(`  infermark medians ms: ${ours.map((m) => m.toFixed(3)).join(', ')}; spread ${(spreadRel(ours) * 100).toFixed(2)}% (target <= 3%)`);
  console.log(`  bare loop medians ms: ${bare.map((m) => m.toFixed(3)).join(', ')}; spread ${(spreadRel(bare) * 100).toFixed(2)}% (the machine's own)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
