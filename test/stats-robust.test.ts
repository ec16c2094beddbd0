import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mad, modifiedZScores, outlierCount } from '../src/stats/index.js';

const close = (actual: number, expected: number, tol = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

test('MAD of 1,1,2,2,4,6,9 is 1 (median 2, deviations 1,1,0,0,2,4,7)', () => {
  assert.equal(mad([1, 1, 2, 2, 4, 6, 9]), 1);
  assert.throws(() => mad([]), /empty/);
});

test('one extreme value is the only outlier', () => {
  const values = [100, 101, 99, 102, 98, 100, 500]; // median 100, MAD 1
  const z = modifiedZScores(values);
  close(z[6], 0.6745 * 400);
  close(z[3], 0.6745 * 2);
  close(z[4], -0.6745 * 2);
  assert.equal(outlierCount(values), 1);
  assert.equal(outlierCount(values, 300), 0);
});

test('a zero MAD falls back to the mean absolute deviation, without NaN', () => {
  // median 5, MAD 0, mean absolute deviation 0.2: z(6) = 1 / (1.253314 * 0.2) = 3.98942.
  const z = modifiedZScores([5, 5, 5, 5, 6]);
  assert.deepEqual(z.slice(0, 4), [0, 0, 0, 0]);
  close(z[4], 1 / (1.253314 * 0.2));
  assert.equal(outlierCount([5, 5, 5, 5, 6]), 1);
});

test('identical values score 0 and have no outliers', () => {
  assert.deepEqual(modifiedZScores([3, 3, 3]), [0, 0, 0]);
  assert.equal(outlierCount([3, 3, 3]), 0);
  assert.deepEqual(modifiedZScores([]), []);
});
