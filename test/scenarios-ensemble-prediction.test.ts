import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensemblePrediction } from '../src/scenarios/ensemble-prediction.js';
import { ensembleFigures } from '../src/scenarios/ensemble-figures.js';

const t = (rows: number[][]) => ({ dtype: 'float32' as const, shape: [rows.length, rows[0].length], data: Float32Array.from(rows.flat()) });

test('the prediction is the mean of the members, checked against them', () => {
  const { mean, check } = ensemblePrediction([t([[1, 0, 0], [0, 3, 0]]), t([[3, 0, 2], [0, 1, 0]])]);
  assert.deepEqual([...mean], [2, 0, 1, 0, 2, 0]);
  assert.deepEqual(check.shape, [2, 3]);
  assert.equal(check.finite, true);
  assert.equal(check.withinMemberRange, true);
  assert.deepEqual(check.top1AgreementWithMembers, [1, 1]);
});

test('members that disagree on the output shape are an error that says so', () => {
  assert.throws(() => ensemblePrediction([t([[1, 2]]), t([[1, 2, 3]])]), /disagree on the output shape/);
});

test('co-located and sequential aggregate throughput', () => {
  const f = ensembleFigures(1, [
    { model: 'a', coLocatedMedianMs: 20, aloneMedianMs: 10 },
    { model: 'b', coLocatedMedianMs: 40, aloneMedianMs: 20 },
  ]);
  assert.equal(f.members[0].slowdown, 2);
  assert.equal(f.aggregateCoLocatedPerS, 50 + 25);
  // one after another: 2 / (1/100 + 1/50) = 66.67 inferences/s
  assert.ok(Math.abs(f.aggregateSequentialPerS - 200 / 3) < 1e-9);
  assert.ok(Math.abs(f.speedup - 75 / (200 / 3)) < 1e-9);
});
