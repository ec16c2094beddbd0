import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanCI, normalCdf, normalQuantile, normalSf, studentTCritical, studentTTwoSidedCdf, CORNISH_FISHER_MIN_DF } from '../src/stats/index.js';

const close = (actual: number, expected: number, tol: number): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

test('meanCI of 10,12,14,16,18 against the hand-computed t interval', () => {
  // mean 14, s = sqrt(40/4) = sqrt(10); t(0.975, 4) = 2.7764451051977908 (bisection on A&S 26.7.4 in python).
  const r = meanCI([10, 12, 14, 16, 18]);
  const half = (2.7764451051977908 * Math.sqrt(10)) / Math.sqrt(5);
  close(r.mean, 14, 1e-12);
  close(r.stddev, Math.sqrt(10), 1e-12);
  close(r.low, 14 - half, 1e-9);
  close(r.high, 14 + half, 1e-9);
});

test('meanCI of one value is unbounded; of nothing is refused', () => {
  assert.deepEqual(meanCI([3]), { mean: 3, low: -Infinity, high: Infinity, stddev: 0 });
  assert.throws(() => meanCI([]), /empty/);
});

test('t critical values match closed forms and the printed tables', () => {
  close(studentTCritical(0.95, 1), Math.tan(0.475 * Math.PI), 1e-9); // Cauchy
  close(studentTCritical(0.95, 2), 0.95 * Math.sqrt(2 / (1 - 0.95 ** 2)), 1e-9);
  const table95: [number, number][] = [[3, 3.182], [5, 2.571], [9, 2.262], [10, 2.228], [20, 2.086], [30, 2.042], [60, 2.0], [120, 1.98]];
  for (const [df, t] of table95) close(studentTCritical(0.95, df), t, 0.0006);
  const table99: [number, number][] = [[1, 63.657], [4, 4.604], [10, 3.169], [30, 2.75]];
  for (const [df, t] of table99) close(studentTCritical(0.99, df), t, 0.0006);
  close(studentTCritical(0.9, 10), 1.812, 0.0006);
});

test('the t quantile inverts the t CDF, and the large-df approximation joins the exact series', () => {
  for (const df of [1, 2, 7, 50, 400]) close(studentTTwoSidedCdf(studentTCritical(0.95, df), df), 0.95, 1e-12);
  const exact = studentTCritical(0.95, CORNISH_FISHER_MIN_DF);
  const approx = studentTCritical(0.95, CORNISH_FISHER_MIN_DF + 1);
  assert.ok(approx < exact && exact - approx < 1e-5);
  close(studentTCritical(0.95, 1e6), 1.959963984540054, 1e-5);
});

test('normal CDF and quantile against python math.erfc and NormalDist.inv_cdf', () => {
  assert.equal(normalCdf(0), 0.5);
  close(normalCdf(1.96), 0.9750021048517795, 1e-15);
  close(normalCdf(-5), 2.866515718791946e-7, 1e-21);
  close(normalSf(10), 7.619853024160593e-24, 1e-36);
  close(normalQuantile(0.975), 1.9599639845400536, 1e-13);
  close(normalQuantile(1e-10), -6.361340902404056, 1e-12);
  assert.equal(normalQuantile(0.5), 0);
});
