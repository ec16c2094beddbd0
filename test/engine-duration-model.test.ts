/** Duration estimates learn from measured speed: exact predictions from a known latency and load time, and an ETA scaled by the finished trials. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrialSpec } from '../src/engine/trial-spec.js';
import { estimateSweepMs, ETA_EVIDENCE_MS, etaMs, historySpeeds, learnSpeeds, predictTrialMs, speedKey, STARTUP_MS } from '../src/engine/duration-model.js';
import type { OkTrial } from '../src/results/types.js';
import { synthTrial } from './fixtures/synthetic.js';

const stopping = { warmupRuns: 3, minSamples: 10, minTimeMs: 1000, maxTimeMs: 8000, targetCiRel: 0.02, maxSamples: 100000 };
const spec = (batchSize: number, runtime = 'fake'): TrialSpec => ({
  key: `k${batchSize}${runtime}`, modelRef: 'model.onnx', modelPath: '/m', modelSha256: 'x', modelSizeBytes: 1, runtime, provider: 'cpu',
  settings: {}, batchSize, scenario: 'single-stream', inputShapes: {}, intRanges: {}, stopping, seed: 1, timeoutMs: 1000,
} as TrialSpec);

test('a trial of a model and runtime measured before is predicted from its latency and load time', () => {
  // Median 200 ms at batch 1, load 10 ms (the synthetic trial's).
  const speeds = learnSpeeds([synthTrial({ samplesMs: Array(21).fill(200) })]);
  // load 10 + (1 + 3 warm-up) x 200 + the window measured at this batch (21 calls of 200 ms: 4.2 s)
  assert.equal(predictTrialMs(spec(1), speeds), STARTUP_MS + 10 + 800 + 4200);
  // batch 4 scales the per-item time: 800 ms a call, the window capped at 8 s.
  assert.equal(predictTrialMs(spec(4), speeds), STARTUP_MS + 10 + 3200 + 8000);
  assert.equal(predictTrialMs(spec(1, 'other'), speeds), undefined, 'nothing measured for this runtime');
  const e = estimateSweepMs([spec(1), spec(1, 'other')], speeds);
  assert.equal(e.learned, 1);
  assert.equal(e.lowMs, STARTUP_MS + 5010 + STARTUP_MS + 1000);
});

test('the ETA scales the remaining predictions by how the finished trials compare with theirs', () => {
  const speeds = learnSpeeds([synthTrial({ samplesMs: Array(21).fill(200) })]);
  const predicted = predictTrialMs(spec(1), speeds)!;
  assert.equal(etaMs([spec(1)], [], speeds), predicted, 'before any trial ends: the prediction from earlier runs');
  assert.equal(etaMs([spec(1), spec(1, 'other')], [], speeds), undefined, 'nothing known for one of them: no ETA yet');
  // The first trial took twice its prediction: the rest will take longer too, by as much as ETA_EVIDENCE_MS lets one trial say.
  const twice = [{ spec: spec(1), wallMs: 2 * predicted }];
  assert.equal(etaMs([spec(1), spec(1)], twice, speeds), 2 * predicted * ((2 * predicted + ETA_EVIDENCE_MS) / (predicted + ETA_EVIDENCE_MS)));
  // Many trials that all took twice their prediction: the rest will, nearly.
  const many = Array.from({ length: 100 }, () => twice[0]);
  const eta = etaMs([spec(1)], many, speeds)!;
  assert.ok(eta > 1.9 * predicted && eta < 2 * predicted, `${eta} for ${predicted}`);
});

test('after the first trial, the models still costed from their MACs are scaled by how far each part of that cost was off on it', () => {
  const costs = new Map([
    [speedKey('model.onnx', 'fake'), { perItemMs: 100, loadMs: 500, hostStartMs: 0, startupMs: 2000 }],
    [speedKey('model.onnx', 'other'), { perItemMs: 100, loadMs: 500, hostStartMs: 0, startupMs: 2000 }],
  ]);
  const costed = predictTrialMs(spec(1, 'other'), new Map(), costs)!;
  // The first trial (fake) took half its cost-based prediction; its own speed was not recorded.
  const first = { spec: spec(1), wallMs: predictTrialMs(spec(1), new Map(), costs)! / 2 };
  assert.equal(etaMs([spec(1, 'other')], [first], new Map(), costs), costed / 2);
  // A measured trial corrects each part of the cost: 200 ms calls for the cost's 100 (x2), a 10 ms load for its
  // 500 (x0.02), and 1500 ms around load and loop for its 2000 ms runner start (x0.75). The measured model keeps its
  // learned prediction; the other is costed with those parts: 1500 + 10 + 200 + 3 x 200 warm-up + 10 x 200 window.
  const speeds = learnSpeeds([synthTrial({ samplesMs: Array(21).fill(200) })]);
  const learned = predictTrialMs(spec(1), speeds)!;
  assert.equal(learned, STARTUP_MS + 10 + 200 + 3 * 200 + 21 * 200);
  const done = { spec: spec(1), wallMs: learned };
  assert.equal(etaMs([spec(1), spec(1, 'other')], [done], speeds, costs), learned + 1500 + 10 + 200 + 3 * 200 + 10 * 200);
});

test("a server or ensemble trial is predicted by its scenario's own estimate, and its rule bounds count its windows", () => {
  const speeds = learnSpeeds([
    synthTrial({ samplesMs: Array(21).fill(200) }),
    synthTrial({ samplesMs: Array(21).fill(100), model: 'other.onnx' }),
  ]);
  // A fixed rate serves its queries once: 100 queries at 20/s take 5 s, after a load and six calls.
  const server = { ...spec(1), scenario: 'server', scenarioOptions: { server: { ratePerS: 20, queries: 100, maxBatch: 1, maxWaitMs: 0 } } } as TrialSpec;
  assert.equal(predictTrialMs(server, speeds), STARTUP_MS + 10 + 6 * 200 + 5000);
  // Two members: one runner each and one to start them, together (the slower window twice), then each alone.
  const members = [{ ref: 'model.onnx' }, { ref: 'other.onnx' }];
  const ensemble = { ...spec(1), scenario: 'ensemble', modelRef: 'ensemble:model.onnx+other.onnx', scenarioOptions: { ensemble: { mode: 'processes', members } } } as TrialSpec;
  const alone = (latencyMs: number) => 10 + latencyMs * 4 + Math.max(1000, 10 * latencyMs);
  assert.equal(predictTrialMs(ensemble, speeds), 3 * STARTUP_MS + 10 + 2 * 2000 + alone(200) + alone(100));
  // Nothing measured: the rule's bounds, six windows for a server's rates, two per member for an ensemble.
  const none = new Map();
  assert.equal(estimateSweepMs([server], none).highMs, STARTUP_MS + 6 * 8000);
  assert.equal(estimateSweepMs([ensemble], none).lowMs, STARTUP_MS + 4 * 1000);
});

test('each configuration is predicted from its own measurement: a thread count or a compiler switch changes the speed', () => {
  const withSettings = (samplesMs: number[], settings: Record<string, number | string>) => ({ ...synthTrial({ samplesMs }), settings });
  const speeds = learnSpeeds([withSettings(Array(21).fill(200), { threads: 1 }), withSettings(Array(21).fill(100), { threads: 2 })]);
  const at = (settings: Record<string, number | string>) => ({ ...spec(1), settings });
  assert.equal(predictTrialMs(at({ threads: 1 }), speeds), STARTUP_MS + 10 + 4 * 200 + 21 * 200);
  assert.equal(predictTrialMs(at({ threads: 2 }), speeds), STARTUP_MS + 10 + 4 * 100 + 21 * 100);
  // A setting never measured: the latest measurement of the model on its runtime, the nearest thing known.
  assert.equal(predictTrialMs(at({ threads: 4 }), speeds), predictTrialMs(at({ threads: 2 }), speeds));
  assert.equal(predictTrialMs({ ...at({ threads: 1 }), provider: 'cuda' }, speeds), predictTrialMs(at({ threads: 2 }), speeds), 'another provider: the model on its runtime');
});

test('a trial that ran before, in any scenario, is predicted by its wall time then: a rate search takes what it took', () => {
  const server = { ...spec(4), key: 'server-trial', scenario: 'server', scenarioOptions: { server: { p99Ms: 50, queries: 300, maxBatch: 4, maxWaitMs: 5 } } } as TrialSpec;
  const ran = (wallMs: number) => ({ ...synthTrial({ samplesMs: Array(21).fill(20), batchSize: 4 }), key: 'server-trial', scenario: 'server', context: { trialWallMs: wallMs } } as unknown as OkTrial);
  // No plain loop of the model was ever timed: without its own history the trial has no learned prediction.
  assert.equal(predictTrialMs(server, historySpeeds([])), undefined);
  assert.equal(predictTrialMs(server, historySpeeds([ran(80_000), ran(100_000), ran(90_000)])), 90_000, 'the median of three runs');
  assert.equal(predictTrialMs({ ...server, key: 'another' }, historySpeeds([ran(90_000)])), undefined, 'another trial learns nothing from it');
  // The sweep's own finished trial is not its own prediction: the ETA compares the two.
  assert.equal(predictTrialMs(server, learnSpeeds([ran(90_000)])), undefined);
});

test("with nothing measured, a server trial is costed from the model's MACs through the rate search it plans", () => {
  const server = { ...spec(4), scenario: 'server', scenarioOptions: { server: { queries: 300, maxBatch: 4, maxWaitMs: 5 } } } as TrialSpec;
  const costs = new Map([[speedKey('model.onnx', 'fake'), { perItemMs: 10, loadMs: 500, hostStartMs: 0, startupMs: 2000, reference: { loadMs: 300, hostStartMs: 0, perItemMs: 5 } }]]);
  // 40 ms a batch of 4: capacity 100/s; six rates of 300 queries around 40/s take 45 s.
  assert.equal(predictTrialMs(server, new Map(), costs), 2000 + 500 + 6 * 40 + 6 * (300 / 40) * 1000);
  const e = estimateSweepMs([server], new Map(), costs);
  assert.deepEqual([e.learned, e.costed], [0, 1]);
});
