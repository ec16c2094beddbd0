import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recommend, type ObjectiveResult } from '../src/analysis/recommend.js';
import { formatRecommendation } from '../src/analysis/format-recommendation.js';
import { quantileCI } from '../src/analysis/quantile-ci.js';
import type { TrialResult } from '../src/results/types.js';
import { samplesAround, synthTrial } from './fixtures/synthetic.js';
import { fixtureTrials } from './fixtures/fixture.js';

const objective = (results: TrialResult[], name: string, model = 0): ObjectiveResult =>
  recommend(results).models[model].objectives.find((o) => o.objective === name)!;

test('known winners per objective, with margins over the runner-up', () => {
  const fast = synthTrial({ runtime: 'fast', samplesMs: samplesAround(2, 2000, 1), peakRssBytes: 300e6, energyPerItemJ: 0.5 });
  const big = synthTrial({ runtime: 'big', batchSize: 8, samplesMs: samplesAround(8, 2000, 2), peakRssBytes: 500e6, energyPerItemJ: 0.2 });
  const lean = synthTrial({ runtime: 'lean', samplesMs: samplesAround(4, 2000, 3), peakRssBytes: 100e6, energyPerItemJ: 0.9 });
  const results = [fast, big, lean];
  const p99 = objective(results, 'latency-p99');
  assert.equal(p99.winner?.key, fast.key);
  assert.equal(p99.runnerUp?.key, lean.key);
  assert.equal(p99.significant, true, 'with 2000 samples each the p99 CIs exist and do not overlap');
  assert.ok(p99.marginPct! > 40 && p99.marginPct! < 60);

  const tput = objective(results, 'throughput');
  assert.equal(tput.winner?.key, big.key); // 8 items / 8 ms = 1000/s against 500/s
  assert.equal(tput.unit, 'items/s');
  assert.ok(Math.abs(tput.marginPct! - 100) < 1);
  assert.equal(tput.significant, true);

  assert.equal(objective(results, 'energy-per-item').winner?.key, big.key);
  assert.equal(objective(results, 'memory').winner?.key, lean.key);
  assert.equal(objective(results, 'memory').significant, false, 'one reading each: no CI');

  const rec = recommend(results).models[0];
  // big: best throughput and energy; fast: best latency; lean: least memory. None dominates another.
  assert.deepEqual(new Set(rec.paretoKeys), new Set([fast.key, big.key, lean.key]));
  assert.deepEqual(rec.paretoObjectives, ['latency-p99', 'throughput', 'energy-per-item', 'memory']);
});

test('a dominated configuration is left out of the Pareto set', () => {
  const good = synthTrial({ runtime: 'good', samplesMs: samplesAround(2, 100, 1), peakRssBytes: 100e6 });
  const bad = synthTrial({ runtime: 'bad', samplesMs: samplesAround(5, 100, 2), peakRssBytes: 200e6 });
  const rec = recommend([good, bad]).models[0];
  assert.deepEqual(rec.paretoKeys, [good.key]);
  assert.deepEqual(rec.pareto.map((p) => p.label), ['good/cpu batch=1']);
});

test('overlapping CIs are not significant', () => {
  const a = synthTrial({ runtime: 'a', samplesMs: samplesAround(10, 50, 1), ciLow: 9.5, ciHigh: 10.5 });
  // Throughput's CI comes from the counted rates of blocks of calls: 0.1% apart with a 5% spread, they overlap.
  const b = synthTrial({ runtime: 'b', samplesMs: samplesAround(10.01, 50, 2), ciLow: 9.7, ciHigh: 10.7 });
  const tput = objective([a, b], 'throughput');
  assert.equal(tput.significant, false);
  assert.match(tput.note!, /overlap/);
});

test('estimated energy is never ranked, and its absence is said', () => {
  const a = synthTrial({ runtime: 'a', samplesMs: samplesAround(2, 50, 1), energyPerItemJ: 0.1, energyEstimated: true });
  const b = synthTrial({ runtime: 'b', samplesMs: samplesAround(3, 50, 2) });
  const e = objective([a, b], 'energy-per-item');
  assert.equal(e.winner, undefined);
  assert.match(e.note!, /no measured energy/);
  assert.ok(!recommend([a, b]).models[0].paretoObjectives.includes('energy-per-item'));
});

test('repetitions of one key get a mean CI across them', () => {
  const reps = [2.0, 2.1, 1.9].map((c, i) => synthTrial({ runtime: 'r', samplesMs: samplesAround(c, 50, i), peakRssBytes: [100e6, 102e6, 98e6][i], repetition: i }));
  const other = [3.0, 3.1, 2.9].map((c, i) => synthTrial({ runtime: 's', samplesMs: samplesAround(c, 50, 10 + i), peakRssBytes: [200e6, 202e6, 198e6][i], repetition: i }));
  const mem = objective([...reps, ...other], 'memory');
  assert.equal(mem.winner?.repetitions, 3);
  assert.equal(mem.winner?.value, 100e6);
  assert.ok(mem.winner!.ciLow! < 100e6 && mem.winner!.ciHigh! > 100e6);
  assert.equal(mem.significant, true);
  assert.equal(recommend([...reps, ...other]).models[0].configurations, 2);
});

test('each model gets its own recommendation; failed trials are ignored', () => {
  const rec = recommend(fixtureTrials());
  assert.deepEqual(rec.models.map((m) => m.model.path), ['zoo:resnet-tiny', '<img src=x onerror=alert(1)>.onnx']);
  assert.equal(rec.models[0].configurations, 17);
  const text = formatRecommendation(rec);
  assert.match(text, /Recommendation for zoo:resnet-tiny \(17 configurations\)/);
  assert.match(text, /highest throughput: ort-node\/cpu batch=32 .*items\/s/);
  assert.match(text, /least energy per inference: ort-node\/cpu batch=32/, 'ort-web energy is an estimate and is not ranked');
  assert.match(text, /Pareto set over/);
  assert.equal(formatRecommendation(recommend([])), 'Recommendation: no ok trials, nothing to recommend.\n');
});

test('the quantile CI brackets the quantile and needs enough samples', () => {
  const sorted = Array.from({ length: 1000 }, (_, i) => i + 1);
  const ci = quantileCI(sorted, 0.99)!;
  assert.ok(ci.low < 990 && ci.high > 990 && ci.high <= 1000);
  assert.equal(quantileCI(sorted.slice(0, 60), 0.99), undefined);
});
