/**
 * The sweep's one-time jobs in duration estimates: a reference run per model
 * and input, a baseline runner per runtime. The trial that is first to need
 * them pays for them; a measured trial's own time leaves out what it did for
 * the others; a GPU trial is costed from the GPU's peak.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { TrialSpec } from '../src/engine/trial-spec.js';
import type { OkTrial } from '../src/results/types.js';
import { costScales, etaMs, firstsInOrder, learnSpeeds, predictTrialMoments, predictTrialMs, ruleBoundsMs, speedKey } from '../src/engine/duration-model.js';
import { expectedGflops, GEMM_SHARE_OF_THEORETICAL, NETWORK_SHARE_OF_GEMM } from '../src/engine/model-costs.js';
import { benchmark } from '../src/api/benchmark.js';
import { synthTrial } from './fixtures/synthetic.js';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';

const stopping = { warmupRuns: 2, minSamples: 5, minTimeMs: 1000, maxTimeMs: 6000, targetCiRel: 0.05, maxSamples: 100000 };
const spec = (batchSize: number, runtime = 'fake', o: Partial<TrialSpec> = {}): TrialSpec => ({
  key: `${runtime}${batchSize}`, modelRef: 'model.onnx', modelPath: '/m', modelSha256: 'x', modelSizeBytes: 1, runtime, provider: 'cpu',
  settings: {}, batchSize, scenario: 'offline', inputShapes: { x: [batchSize, 4] }, intRanges: {}, stopping, seed: 1, timeoutMs: 1000, ...o,
} as TrialSpec);

test('the first trial of a model at an input runs the reference, the first of a runtime its baseline runner', () => {
  const trials = [spec(1), spec(1, 'other'), spec(2), spec(2, 'other', { modelSha256: 'y' }), spec(4, 'fake', { scenario: 'ensemble' })];
  assert.deepEqual(firstsInOrder(trials), [
    { reference: true, baseline: true },
    { reference: false, baseline: true },
    { reference: true, baseline: false },
    { reference: true, baseline: false },
    // An ensemble checks its own prediction: no reference run.
    { reference: false, baseline: false },
  ]);
  assert.deepEqual(firstsInOrder([spec(1, 'other'), spec(2)], [spec(1)]), [
    { reference: false, baseline: true },
    { reference: true, baseline: false },
  ], 'what finished trials did is done');
});

test('a measured trial\'s own time leaves out the one-time jobs it did; the trials that will be first to need them pay for them', () => {
  // Batch 1: 100 ms calls, load 10; the trial took 3 s, of which 1 s was the reference and the baseline runner.
  const t = synthTrial({ batchSize: 1, samplesMs: Array(5).fill(100) });
  const ran = { ...t, scenario: 'offline', context: { ...t.context, trialWallMs: 3000, sharedWorkMs: 1000 } } as OkTrial;
  const speeds = learnSpeeds([ran]);
  assert.equal(predictTrialMs(spec(1), speeds), 2000, 'the same configuration and batch: its own 2 s');
  const costs = new Map([[speedKey('model.onnx', 'fake'), { perItemMs: 100, loadMs: 500, hostStartMs: 0, host: 'node', startupMs: 700, reference: { loadMs: 300, hostStartMs: 0, perItemMs: 40 }, baselineMs: 900 }]]);
  assert.equal(predictTrialMs(spec(1), speeds, costs, { reference: true, baseline: true }), 2000 + (700 + 300 + 40) + 900);
  // The ETA after that trial. Its parts against its cost: load 10 ms for 500 (x0.02), calls 100 ms for 100 (x1), and
  // 2000 - 10 - 800 (load, first call, two warm-up calls, window) = 1190 ms around them for a 700 ms runner start (x1.7
  // for a Node runner, as the reference's is).
  // Batch 2 runs a reference of its own, costed with those parts: 700 x 1.7 + 300 x 0.02 + 2 x 40.
  const done = [{ spec: spec(1), wallMs: 3000, sharedMs: 1000 }];
  const eta = etaMs([spec(2)], done, speeds, costs)!;
  assert.ok(Math.abs(eta - (predictTrialMs(spec(2), speeds)! + 1190 + 6 + 80)) < 1e-6, String(eta));
  // The other runtime's batch 1 shares the first reference; nothing is known of it: its rule midpoint.
  const { lowMs, highMs } = ruleBoundsMs(spec(1, 'other'));
  assert.equal(etaMs([spec(1, 'other')], done, speeds, costs), (lowMs + highMs) / 2);
});

test('a trial on a GPU is costed from the GPU\'s peak as it is: the CPU\'s load and cores do not slow it', () => {
  const gpu = { theoreticalGflops: 60_000, cores: 2, loadAvg1: 8, threadShare: 0.5, onGpu: true };
  assert.equal(expectedGflops(gpu), 60_000 * GEMM_SHARE_OF_THEORETICAL * NETWORK_SHARE_OF_GEMM);
  assert.equal(expectedGflops({ ...gpu, storedPeakGflops: 30_000, storedLoadAvg1: 0.1 }), 30_000 * NETWORK_SHARE_OF_GEMM);
  assert.equal(expectedGflops({ ...gpu, theoreticalGflops: undefined }), undefined, 'no GPU peak known: no cost');
});

test('the sweep records the time a trial spent on one-time jobs within its wall time', async (t) => {
  const dir = tempDir('infermark-shared-work-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { results } = await benchmark({
    model: [writeModel(dir, 'add.onnx', addModelBytes())], runtimes: ['fake'], settings: { latencyMs: [1, 2] }, batchSizes: [1],
    stopping: { warmupRuns: 1, minSamples: 5, minTimeMs: 50, maxTimeMs: 300 }, db: false, efficiency: false, probes: () => [],
  });
  assert.equal(results.length, 2);
  const [first, second] = results.map((r) => r.context!);
  // The first ran the reference and the fake runtime's baseline runner (each a fresh runner process); the second reused both.
  assert.ok(first.sharedWorkMs! > 0 && first.sharedWorkMs! <= first.trialWallMs!, JSON.stringify(first));
  assert.ok((second.sharedWorkMs ?? 0) < first.sharedWorkMs!, JSON.stringify([first.sharedWorkMs, second.sharedWorkMs]));
});

test('a measured GPU call slower than its items\' cost adds a per-call time, which a larger batch does not multiply', () => {
  const onGpu = (batchSize: number, runtime = 'fake') => spec(batchSize, runtime, { provider: 'cuda', key: `${runtime}-gpu-${batchSize}` });
  const t = synthTrial({ batchSize: 1, samplesMs: Array(5).fill(3) });
  const ran = { ...t, provider: 'cuda', scenario: 'offline', context: { ...t.context, trialWallMs: 2000 } } as OkTrial;
  const speeds = learnSpeeds([ran]);
  const cost = { perItemMs: 0.5, loadMs: 500, hostStartMs: 0, startupMs: 700 };
  const costs = new Map([[speedKey('model.onnx', 'fake'), cost], [speedKey('model.onnx', 'other'), cost]]);
  const k = costScales([{ spec: onGpu(1), ownMs: 2000 }], speeds, costs);
  assert.equal(k.gpuCallMs, 2.5);
  assert.equal(k.latency, 1, 'no CPU trial measured: CPU calls keep their cost');
  // The other runtime on the GPU at batch 64: 2.5 + 64 x 0.5 = 34.5 ms a call, not 64 x 3.
  const at64 = predictTrialMoments(onGpu(64, 'other'), new Map(), costs, k)!.ms;
  const callMs = 2.5 + 64 * 0.5;
  const windowMs = Math.ceil(1000 / callMs) * callMs;
  assert.ok(Math.abs(at64 - (700 * (k.startupByHost[''] ?? k.whole) + 500 * k.read + callMs * 3 + windowMs)) < 1e-6, String(at64));
});
