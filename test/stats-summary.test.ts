import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ciRelHalfWidth, summarize } from '../src/stats/index.js';

const close = (actual: number, expected: number, tol = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

test('summarize a fixed array with one slow sample', () => {
  const s = summarize([5, 1, 4, 2, 3, 100, 6, 7, 8, 9]); // sorted 1..9, 100
  assert.equal(s.n, 10);
  close(s.median, 5.5);
  close(s.mean, 14.5);
  close(s.p90, 9 + 0.1 * 91); // h = 8.1
  close(s.p95, 9 + 0.55 * 91); // h = 8.55
  close(s.p99, 9 + 0.91 * 91); // h = 8.91
  assert.equal(s.min, 1);
  assert.equal(s.max, 100);
  close(s.stddev, 30.152390728873666); // python statistics.stdev
  close(s.mad, 2.5); // deviations from 5.5: 0.5,0.5,1.5,1.5,2.5,2.5,3.5,3.5,4.5,94.5
  assert.equal(s.ciLow, 2); // 2nd and 9th order statistics for n = 10
  assert.equal(s.ciHigh, 9);
  assert.equal(s.outliers, 1); // z(100) = 0.6745 * 94.5 / 2.5 = 25.5
});

test('summarize one sample', () => {
  const s = summarize([2.5]);
  assert.deepEqual(s, { median: 2.5, mean: 2.5, p90: 2.5, p95: 2.5, p99: 2.5, min: 2.5, max: 2.5, stddev: 0, mad: 0, ciLow: 2.5, ciHigh: 2.5, n: 1, outliers: 0 });
});

test('summarize refuses empty and non-finite input with a clear message', () => {
  assert.throws(() => summarize([]), /summarize\(samplesMs\): needs at least one value/);
  assert.throws(() => summarize([1, NaN]), /value \[1\] is NaN/);
});

test('ciRelHalfWidth is the half-width over the median, Infinity at median 0', () => {
  close(ciRelHalfWidth({ median: 10, ciLow: 9, ciHigh: 12 }), 0.15);
  assert.equal(ciRelHalfWidth({ median: 0, ciLow: 0, ciHigh: 1 }), Infinity);
});
