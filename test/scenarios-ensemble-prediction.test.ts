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

/** Back-to-back calls of `ms` each, from `from` to `to` (ms on a shared clock). */
function calls(from: number, to: number, ms: number) {
  const callStartMs: number[] = [];
  const callEndMs: number[] = [];
  for (let t = from; t + ms <= to; t += ms) { callStartMs.push(t); callEndMs.push(t + ms); }
  return { callStartMs, callEndMs };
}

test('co-located aggregate: every member\'s items inside the common window, over that window', () => {
  const f = ensembleFigures(1, [
    // a measures over [0, 1000], b over [100, 1100]: the common window is [100, 1000].
    { model: 'a', ...calls(0, 1000, 20), coLocatedMedianMs: 20, aloneMedianMs: 10, alonePerS: 100 },
    { model: 'b', ...calls(100, 1100, 40), coLocatedMedianMs: 40, aloneMedianMs: 20, alonePerS: 50 },
  ]);
  assert.equal(f.members[0].slowdown, 2);
  assert.equal(f.commonWindowS, 0.9);
  // a: calls starting at 100, 120, ..., 980 -> 45; b: 100, 140, ..., 940 (ends 980) -> 22.
  assert.equal(f.members[0].coLocatedItems, 45);
  assert.equal(f.members[1].coLocatedItems, 22);
  assert.equal(f.aggregateCoLocatedPerS, 67 / 0.9);
  // one after another: 2 / (1/100 + 1/50) = 66.67 inferences/s
  assert.ok(Math.abs(f.aggregateSequentialPerS - 200 / 3) < 1e-9);
  assert.ok(Math.abs(f.speedup - (67 / 0.9) / (200 / 3)) < 1e-9);
});
