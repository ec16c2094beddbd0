import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, quantile } from '../src/stats/index.js';

const close = (actual: number, expected: number, tol = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

test('quantile interpolates linearly like numpy (type 7) on 1..10', () => {
  // h = 9 q; value = x[floor h] + frac(h) * gap, gaps are all 1 here.
  close(quantile(oneToTen, 0), 1);
  close(quantile(oneToTen, 0.25), 3.25);
  close(quantile(oneToTen, 0.5), 5.5);
  close(quantile(oneToTen, 0.9), 9.1);
  close(quantile(oneToTen, 0.99), 9.91);
  close(quantile(oneToTen, 1), 10);
});

test('quantile of one value is that value at every q', () => {
  assert.equal(quantile([7], 0), 7);
  assert.equal(quantile([7], 0.37), 7);
  assert.equal(quantile([7], 1), 7);
});

test('quantile rejects an empty array and a q outside [0, 1]', () => {
  assert.throws(() => quantile([], 0.5), /empty/);
  assert.throws(() => quantile(oneToTen, 1.5), /q must be in \[0, 1\]/);
  assert.throws(() => quantile(oneToTen, NaN), RangeError);
});

test('median sorts a copy and leaves its input alone', () => {
  const values = [9, 1, 5, 3];
  assert.equal(median(values), 4);
  assert.deepEqual(values, [9, 1, 5, 3]);
});
