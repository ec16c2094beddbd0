import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapRatioCI, bootstrapRatioOfSumsCI } from '../src/stats/index.js';
import { createPrng } from '../src/random/prng.js';

/** Symmetric noise around `center`, so the population median is exactly `center`. */
function synthetic(n: number, center: number, spread: number, seed: number): number[] {
  const prng = createPrng(seed);
  return Array.from({ length: n }, () => center + spread * (prng.next() + prng.next() - 1));
}

test('the ratio is median(b) / median(a)', () => {
  const r = bootstrapRatioCI([1, 2, 3], [2, 4, 6, 8], { iterations: 50 });
  assert.equal(r.ratio, 5 / 2);
  assert.ok(r.low <= r.high);
});

test('the same seed gives the same interval; another seed a different one', () => {
  const a = synthetic(300, 10, 1, 1);
  const b = synthetic(300, 12, 1, 2);
  const first = bootstrapRatioCI(a, b, { seed: 7 });
  assert.deepEqual(bootstrapRatioCI(a, b, { seed: 7 }), first);
  assert.notDeepEqual(bootstrapRatioCI(a, b, { seed: 8 }), first);
});

test('the CI of two shifted samples contains the true ratio 1.5 and is tight', () => {
  const a = synthetic(2000, 10, 2, 11);
  const b = synthetic(2000, 15, 3, 12);
  const r = bootstrapRatioCI(a, b);
  assert.ok(r.low < 1.5 && 1.5 < r.high, `[${r.low}, ${r.high}] should contain 1.5`);
  assert.ok(r.low <= r.ratio && r.ratio <= r.high);
  assert.ok(r.high - r.low < 0.03, `width ${r.high - r.low}`);
});

test('a wider confidence gives a wider interval', () => {
  const a = synthetic(200, 10, 2, 3);
  const b = synthetic(200, 11, 2, 4);
  const r90 = bootstrapRatioCI(a, b, { confidence: 0.9, seed: 1 });
  const r99 = bootstrapRatioCI(a, b, { confidence: 0.99, seed: 1 });
  assert.ok(r99.low <= r90.low && r90.high <= r99.high);
});

test('bad options and empty samples are refused', () => {
  assert.throws(() => bootstrapRatioCI([], [1]), /bootstrapRatioCI\(a\)/);
  assert.throws(() => bootstrapRatioCI([1], [1], { iterations: 0 }), /iterations/);
  assert.throws(() => bootstrapRatioCI([1], [1], { confidence: 2 }), /confidence/);
});

test('bootstrapRatioOfSumsCI: seeded, between the smallest and largest block ratio, around the ratio of sums', () => {
  const items = [10, 10, 10, 10, 10];
  const ms = [100, 100, 100, 100, 600];
  const ci = bootstrapRatioOfSumsCI(items, ms);
  assert.deepEqual(bootstrapRatioOfSumsCI(items, ms), ci);
  const ratioOfSums = 50 / 1000;
  assert.ok(ci.low >= 10 / 600 && ci.high <= 10 / 100, JSON.stringify(ci));
  assert.ok(ci.low <= ratioOfSums && ratioOfSums <= ci.high, JSON.stringify(ci));
  assert.throws(() => bootstrapRatioOfSumsCI([1], [1, 2]), /paired/);
});
