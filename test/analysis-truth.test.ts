import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recommend } from '../src/analysis/recommend.js';
import { formatRecommendation } from '../src/analysis/format-recommendation.js';
import { boundedMeanCI } from '../src/stats/index.js';
import type { FailedTrial, TrialResult } from '../src/results/types.js';
import { samplesAround, seededNoise, synthTrial } from './fixtures/synthetic.js';

test('the fastest configuration is excluded when its outputs disagree, and the next one wins', () => {
  const wrong = synthTrial({ runtime: 'wrong', samplesMs: samplesAround(1, 500, 1) });
  wrong.agreement = { reference: 'ort-node', withinTolerance: false, maxAbsError: 0.7 };
  const right = synthTrial({ runtime: 'right', samplesMs: samplesAround(3, 500, 2) });
  const slow = synthTrial({ runtime: 'slow', samplesMs: samplesAround(6, 500, 3) });
  const m = recommend([wrong, right, slow]).models[0];
  for (const o of m.objectives.filter((x) => x.winner)) assert.equal(o.winner!.key, right.key, o.objective);
  assert.ok(!m.paretoKeys.includes(wrong.key));
  assert.deepEqual(m.excluded.map((e) => e.key), [wrong.key]);
  assert.match(m.excluded[0].reason, /disagree.*0\.7/);
  assert.equal(m.configurations, 2);
  assert.match(formatRecommendation({ models: [m] }), /Not recommended \(1\):\n {4}wrong\/cpu batch=1: outputs disagree/);
});

test('failed and non-converged configurations are excluded with their reason', () => {
  const good = synthTrial({ runtime: 'good', samplesMs: samplesAround(5, 100, 1) });
  const loose = { ...synthTrial({ runtime: 'loose', samplesMs: samplesAround(1, 100, 2) }), converged: false };
  const base = synthTrial({ runtime: 'broken', samplesMs: [1] });
  const broken: FailedTrial = {
    status: 'failed', key: base.key, runtime: 'broken', provider: 'cpu', settings: {}, batchSize: 1, scenario: 'single-stream',
    model: base.model, warnings: [], error: { kind: 'crash', message: 'runner exited with code 1' },
  };
  const m = recommend([good, loose, broken] as TrialResult[]).models[0];
  assert.equal(m.objectives.find((o) => o.objective === 'latency-p99')!.winner!.key, good.key);
  const reasons = Object.fromEntries(m.excluded.map((e) => [e.label, e.reason]));
  assert.match(reasons['loose/cpu batch=1'], /did not converge/);
  assert.match(reasons['broken/cpu batch=1'], /failed: runner exited with code 1/);
});

test('a between-process interval never leaves the range of the values, even on skewed data', () => {
  const r = seededNoise(7);
  for (let trial = 0; trial < 200; trial++) {
    const n = 3 + (trial % 8);
    const values = Array.from({ length: n }, () => (r() < 0.2 ? 50 * r() : 0.2 + 0.01 * r()));
    const ci = boundedMeanCI(values);
    assert.ok(!('tooFew' in ci));
    if ('tooFew' in ci) continue;
    assert.ok(ci.low >= Math.min(...values) && ci.high <= Math.max(...values), `${values} -> ${ci.low}..${ci.high}`);
    assert.ok(ci.low <= ci.mean && ci.mean <= ci.high);
  }
  const two = boundedMeanCI([0.25, 0.3]);
  assert.ok('tooFew' in two && /at least 3/.test(two.tooFew));
});

test("repetitions: the recommendation uses the between-process interval, not one trial's own", () => {
  // Each repetition's own CI is tight (±1%), but the three processes spread 41.8..44.8 ms.
  const reps = [41.8, 43.0, 44.8].map((c, i) => synthTrial({ runtime: 'a', samplesMs: samplesAround(c, 200, i, 0.001), repetition: i }));
  const o = recommend(reps).models[0].objectives.find((x) => x.objective === 'throughput')!;
  const toTput = (ms: number) => 1000 / ms;
  assert.ok(o.winner!.ciLow! >= toTput(44.8 * 1.002) && o.winner!.ciHigh! <= toTput(41.8 * 0.998));
  assert.ok(o.winner!.ciHigh! - o.winner!.ciLow! > 0.5, 'wider than one trial\'s own interval');
  assert.equal(o.winner!.repetitions, 3);
});
