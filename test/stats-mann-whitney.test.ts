import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitney } from '../src/stats/index.js';

const close = (actual: number, expected: number, tol = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

test('identical samples: U = n1 n2 / 2 and p = 1', () => {
  const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const r = mannWhitney(a, [...a]);
  assert.equal(r.u, 50);
  assert.equal(r.z, 0);
  assert.equal(r.pValue, 1);
});

test('textbook example: U = 17 counted by hand', () => {
  // Pairs with a > b: 19 -> 3, 22 -> 4, 16 -> 2, 29 -> 4, 24 -> 4. z = (17 - 10 - 0.5) / sqrt(5*4*10/12).
  const r = mannWhitney([19, 22, 16, 29, 24], [20, 11, 17, 12]);
  assert.equal(r.u, 17);
  close(r.z, 6.5 / Math.sqrt(50 / 3));
  close(r.pValue, 0.11134688653314048, 1e-12); // python: math.erfc(z / sqrt 2)
});

test('ties use mid-ranks and shrink the variance', () => {
  // U counted by hand: 0 + 0.5 + 0.5 + 2 = 3; tie groups 2 (x3) and 3 (x3) give sum t^3 - t = 24 + 24.
  const r = mannWhitney([1, 2, 2, 3], [2, 3, 3, 4]);
  assert.equal(r.u, 3);
  const variance = (16 / 12) * (9 - 48 / 56);
  close(r.z, -(8 - 3 - 0.5) / Math.sqrt(variance));
  close(r.pValue, 0.17203370892182296, 1e-12);
});

test('clearly shifted samples give p < 0.001, with z signed by which sample is larger', () => {
  const a = Array.from({ length: 20 }, (_, i) => i + 1);
  const b = a.map((x) => x + 100);
  const r = mannWhitney(a, b);
  assert.equal(r.u, 0);
  assert.ok(r.z < 0);
  assert.ok(r.pValue < 0.001);
  close(r.pValue, 6.795615128173387e-8, 1e-18);
  const swapped = mannWhitney(b, a);
  assert.equal(swapped.u, 400);
  close(swapped.z, -r.z);
  close(swapped.pValue, r.pValue, 1e-20);
});

test('all values equal: no variance, p = 1; empty input is refused', () => {
  assert.deepEqual(mannWhitney([2, 2], [2, 2, 2]), { u: 3, z: 0, pValue: 1 });
  assert.throws(() => mannWhitney([], [1]), /mannWhitney\(a\)/);
});
