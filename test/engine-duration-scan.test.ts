/**
 * Duration estimates of batch scans and of models never measured: a scan
 * counts the steps it is expected to take (from the rates measured at each
 * batch, or one step past the first where nothing is known), a measured
 * trial's whole wall time is reused, and a model never run is costed from
 * its MACs over the GFLOP/s expected here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrialSpec } from '../src/engine/trial-spec.js';
import type { OkTrial } from '../src/results/types.js';
import { continueChance, estimateSweepMs, etaMs, historySpeeds, learnSpeeds, predictTrialMoments, predictTrialMs, ruleBoundsMs, speedKey, STARTUP_MS } from '../src/engine/duration-model.js';
import { expectedGflops, GEMM_SHARE_OF_THEORETICAL, loadShare, NETWORK_SHARE_OF_GEMM, threadShare } from '../src/engine/model-costs.js';
import { synthTrial } from './fixtures/synthetic.js';
import { dryRunText, estimateMs } from '../src/cli/dry-run.js';

const stopping = { warmupRuns: 2, minSamples: 5, minTimeMs: 1000, maxTimeMs: 6000, targetCiRel: 0.05, maxSamples: 100000 };
const scan = { from: 1, max: 32, threshold: 0.05 };
const spec = (batchSize: number, scanned = true): TrialSpec => ({
  key: `k${batchSize}`, modelRef: 'model.onnx', modelPath: '/m', modelSha256: 'x', modelSizeBytes: 1, runtime: 'fake', provider: 'cpu',
  settings: {}, batchSize, scenario: 'offline', inputShapes: {}, intRanges: {}, stopping, seed: 1, timeoutMs: 1000,
  ...(scanned ? { scenarioOptions: { scan: { ...scan, group: 'g' } } } : {}),
} as TrialSpec);

/** A measured trial at `batch` whose calls took `callMs`, and whose whole trial took `wallMs` of the sweep's time. */
function measured(batch: number, callMs: number, wallMs: number): OkTrial {
  const t = synthTrial({ batchSize: batch, samplesMs: Array(5).fill(callMs) });
  return { ...t, scenario: 'offline', context: { toolVersion: 'x', nodeVersion: 'x', runtimeVersions: {}, machine: {} as never, startedAt: 'x', trialWallMs: wallMs } } as OkTrial;
}

test('a scan is predicted step by step from the rates measured at each batch, each step its measured wall time', () => {
  // Per item: 100 ms at batch 1, 60 at batch 2 (+67%), 100 at batch 4 (-40%: the plateau, beyond doubt), so the scan runs 1, 2, 4.
  const speeds = learnSpeeds([measured(1, 100, 3000), measured(2, 120, 4000), measured(4, 400, 5000), measured(8, 400, 9000)]);
  // Each step counts by the chance of reaching it: a gain of 67% is all but certain to go on, -40% to stop.
  const near = (ms: number | undefined, want: number, why?: string) => assert.ok(Math.abs(ms! - want) < 0.01, `${why ?? ''} ${ms} vs ${want}`);
  near(predictTrialMs(spec(1), speeds), 3000 + 4000 + 5000);
  assert.equal(predictTrialMs(spec(1, false), speeds), 3000, 'one trial, no scan: its own measured wall time');
  // The ETA at the scan's second step: that step and the ones after it.
  near(predictTrialMs(spec(2), speeds), 4000 + 5000, 'from batch 2: batch 4 falls behind it, so the scan ends there');
});

test('a step whose gain is near the threshold counts the next step by the chance the scan goes on', () => {
  assert.equal(continueChance(0.05, 0.05), 0.5);
  assert.ok(continueChance(0.5, 0.05) > 0.999 && continueChance(-0.3, 0.05) < 0.001);
  // 10 items/s at batch 1, 10.5 at batch 2 (+5%, the threshold itself), 10.5 at batch 4; the scan's bound is 4.
  const speeds = learnSpeeds([measured(1, 100, 3000), measured(2, 2000 / 10.5, 4000), measured(4, 4000 / 10.5, 5000)]);
  const bounded = { ...spec(1), scenarioOptions: { scan: { ...scan, max: 4, group: 'g' } } };
  const chance = continueChance(10.5 / 10 - 1, 0.05);
  assert.ok(Math.abs(chance - 0.5) < 1e-6);
  assert.equal(predictTrialMs(bounded, speeds), 3000 + 4000 + chance * 5000);
  // Unbounded, batch 8 was never measured: its per-item rate is batch 4's (a gain of 0), so the scan rarely goes past it.
  const at8 = predictTrialMs(spec(1), speeds)! - (3000 + 4000 + chance * 5000);
  const reach8 = chance * continueChance(0, 0.05);
  assert.ok(at8 > reach8 * 5000 && at8 < reach8 * 5000 * 3, `batch 8 and later add ${at8} ms`);
});

test('a scan\'s time varies with the step it stops at: its variance follows from the chances, and the dry run prints the band', async () => {
  // Batch 1 takes 3 s, batch 2 4 s (+5%: the scan goes on to batch 4 half the time), batch 4 5 s; the bound is 4.
  const speeds = learnSpeeds([measured(1, 100, 3000), measured(2, 2000 / 10.5, 4000), measured(4, 4000 / 10.5, 5000)]);
  const bounded = { ...spec(1), scenarioOptions: { scan: { ...scan, max: 4, group: 'g' } } };
  const m = predictTrialMoments(bounded, speeds)!;
  // 7 s or 12 s with equal chances: mean 9.5 s, standard deviation 2.5 s.
  assert.ok(Math.abs(m.ms - 9500) < 1e-6);
  assert.ok(Math.abs(Math.sqrt(m.varianceMs2) - 2500) < 1e-3, `sd ${Math.sqrt(m.varianceMs2)}`);
  assert.equal(predictTrialMoments(spec(1, false), speeds)!.varianceMs2, 0, 'a single trial: no stopping step to vary');
  // Two such scans vary independently: the band is 1.645 x sqrt(2) x 2.5 s either way.
  const est = estimateSweepMs([bounded, { ...bounded, key: 'other' }], speeds);
  assert.equal(est.lowMs, 19000);
  assert.ok(Math.abs(est.scanSpreadMs - 1.645 * Math.SQRT2 * 2500) < 1e-3);
  const text = await dryRunText([bounded, { ...bounded, key: 'other' }], [measured(1, 100, 3000), measured(2, 2000 / 10.5, 4000), measured(4, 4000 / 10.5, 5000)]);
  assert.match(text, /estimated duration 19s \(13s to 25s in 9 runs of 10: the batch scans stop at different steps from run to run\)/);
});

test('earlier runs give the median of each figure at each batch; the sweep\'s own trial replaces it', () => {
  const speeds = historySpeeds([measured(1, 100, 3000), measured(1, 140, 5000), measured(1, 90, 4000), measured(2, 150, 6000)]);
  const list = speeds.get(speedKey('model.onnx', 'fake'))!;
  const at1 = list.find((s) => s.batchSize === 1)!;
  assert.deepEqual({ latencyMs: at1.latencyMs, wallMs: at1.wallMs }, { latencyMs: 100, wallMs: 4000 }, 'the median of three runs');
  assert.equal(list.find((s) => s.batchSize === 2)!.wallMs, 6000, 'a batch one run measured keeps its own figures');
  learnSpeeds([measured(1, 200, 9000)], speeds);
  assert.equal(speeds.get(speedKey('model.onnx', 'fake'))!.find((s) => s.batchSize === 1)!.wallMs, 9000);
});

test('the dry run and the sweep\'s first ETA read earlier runs alike: the median, not the latest run', async () => {
  const history = [measured(1, 100, 3000), measured(2, 120, 4000), measured(1, 100, 8000), measured(2, 120, 9000), measured(1, 100, 4000), measured(2, 120, 5000)];
  const trials = [spec(1, false), spec(2, false)];
  const dry = await estimateMs(trials, history);
  assert.equal(dry.lowMs, 4000 + 5000, 'the median wall time of each batch over three runs');
  assert.equal(etaMs(trials, [], historySpeeds(history)), dry.lowMs);
  // Two runs: the latest alone would say 8 + 9 s; the estimate is their median, 5.5 + 6.5 s.
  assert.equal(estimateSweepMs(trials, learnSpeeds(history.slice(0, 4))).lowMs, 8000 + 9000);
  assert.equal((await estimateMs(trials, history.slice(0, 4))).lowMs, 5500 + 6500);
});

test('around the loop: the time a measured trial spent outside its loop carries over to other batches', () => {
  // Batch 1: 100 ms calls, load 10, first call + 2 warm-up + window 0.5 s = 0.8 s of loop; the trial took 3 s: 2.19 s around it.
  const speeds = learnSpeeds([measured(1, 100, 3000)]);
  const aroundMs = 3000 - (10 + 100 + 200 + 500);
  // Batch 2, never measured: 200 ms calls, window max(1 s, 5 x 200 ms) = 1 s.
  assert.equal(predictTrialMs(spec(2, false), speeds), aroundMs + 10 + 200 + 400 + 1000);
});

test('a model never measured: its cost gives the steps a scan is expected to take, bounded by max', () => {
  const costs = new Map([[speedKey('model.onnx', 'fake'), { perItemMs: 100, loadMs: 500, hostStartMs: 0, startupMs: 2000, reference: { loadMs: 300, hostStartMs: 0, perItemMs: 50 } }]]);
  // Runner start, load, first call + 2 warm-up calls, window in whole calls; and, for the first trial of a model
  // at an input, the reference run (start, load, one call): each scan step runs at a batch of its own.
  const window = (lat: number) => Math.ceil(Math.min(6000, Math.max(1000, 5 * lat)) / lat) * lat;
  const step = (batch: number) => 2000 + 500 + 100 * batch * 3 + window(100 * batch);
  const reference = (batch: number) => 2000 + 300 + 50 * batch;
  const first = { reference: true, baseline: false };
  assert.equal(predictTrialMs(spec(1), new Map(), costs), step(1) + step(2) + step(4), 'three steps: 1, 2, 4');
  assert.equal(predictTrialMs(spec(1), new Map(), costs, first), step(1) + step(2) + step(4) + reference(1) + reference(2) + reference(4));
  assert.equal(predictTrialMs({ ...spec(16), scenarioOptions: { scan: { ...scan, group: 'g' } } }, new Map(), costs), step(16) + step(32), 'the bound comes first');
  assert.equal(predictTrialMs(spec(1, false), new Map(), costs), step(1));
  assert.equal(predictTrialMs({ ...spec(32), scenarioOptions: { scan: { ...scan, group: 'g' } } }, new Map(), costs), step(32), 'at the bound: one step');
  // The sweep's first trial of the model runs the reference; the other runtime's trial of it reuses it.
  const e = estimateSweepMs([spec(1), { ...spec(1), runtime: 'other' }], new Map(), costs);
  assert.deepEqual({ learned: e.learned, costed: e.costed }, { learned: 0, costed: 1 });
  assert.equal(e.lowMs, step(1) + step(2) + step(4) + reference(1) + reference(2) + reference(4) + ruleBoundsMs(spec(1)).lowMs);
});

test('the window is whole calls, and the warm-up stops at its time limit', () => {
  const slow = { ...spec(1, false), stopping: { ...stopping, warmupMaxMs: 2000 } };
  const costs = new Map([[speedKey('model.onnx', 'fake'), { perItemMs: 2800, loadMs: 0, hostStartMs: 0, startupMs: 0 }]]);
  // A 2.8 s call: one warm-up call (it passes the 2 s limit), then three calls before the window reaches its 6 s limit.
  assert.equal(predictTrialMs(slow, new Map(), costs), 2800 + 2800 + 3 * 2800);
});

test('the stopping rule alone counts a scan as the steps it is expected to take', () => {
  assert.deepEqual(ruleBoundsMs(spec(1)), { lowMs: 3 * STARTUP_MS + 3 * 1000, highMs: 3 * STARTUP_MS + 3 * 6000 });
  assert.deepEqual(ruleBoundsMs(spec(16)), { lowMs: 2 * STARTUP_MS + 2 * 1000, highMs: 2 * STARTUP_MS + 2 * 6000 });
  assert.deepEqual(ruleBoundsMs(spec(1, false)), { lowMs: STARTUP_MS + 1000, highMs: STARTUP_MS + 6000 });
});

test('expected GFLOP/s: half the stored GEMM peak scaled to the load now, else the theoretical peak scaled by GEMM share, network share and load', () => {
  assert.equal(expectedGflops({ storedPeakGflops: 40, storedLoadAvg1: 8, theoreticalGflops: 150, cores: 2, loadAvg1: 8 }), 40 * NETWORK_SHARE_OF_GEMM);
  assert.equal(expectedGflops({ storedPeakGflops: 40, storedLoadAvg1: 0.5, cores: 2, loadAvg1: 8 }), 40 * NETWORK_SHARE_OF_GEMM * 0.5);
  assert.equal(expectedGflops({ theoreticalGflops: 160, cores: 2, loadAvg1: 0.3 }), 160 * GEMM_SHARE_OF_THEORETICAL * NETWORK_SHARE_OF_GEMM);
  assert.equal(expectedGflops({ theoreticalGflops: 160, cores: 2, loadAvg1: 8 }), 160 * GEMM_SHARE_OF_THEORETICAL * NETWORK_SHARE_OF_GEMM * 0.5);
  assert.equal(expectedGflops({ cores: 2, loadAvg1: 1 }), undefined);
  assert.equal(loadShare(2, 18), 1 / 3);
  // One thread of two cores gets half the theoretical peak; a stored peak was measured with the trial's threads.
  assert.equal(threadShare({ intraOpNumThreads: 1 }, 2), 0.5);
  assert.equal(threadShare({ threads: 8, precision: 'fp32' }, 2), 1);
  assert.equal(threadShare({ hint: 'latency' }, 4), 1, 'no thread setting: every core');
  assert.equal(expectedGflops({ theoreticalGflops: 160, cores: 2, loadAvg1: 0.3, threadShare: 0.5 }), 160 * GEMM_SHARE_OF_THEORETICAL * NETWORK_SHARE_OF_GEMM * 0.5);
  assert.equal(expectedGflops({ storedPeakGflops: 40, storedLoadAvg1: 2, cores: 2, loadAvg1: 2, threadShare: 0.5 }), 40 * NETWORK_SHARE_OF_GEMM);
});
