import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXACT_BINOMIAL_MAX_N, medianCI, medianCIRank } from '../src/stats/index.js';

/** Largest k with P(Binomial(n, 1/2) <= k-1) <= (1 - c)/2, in exact integer arithmetic (c given in thousandths). */
function exactRank(n: number, confidencePermille: number): number {
  const total = 2n ** BigInt(n);
  let binom = 1n;
  let cumulative = 0n;
  let k = 0;
  for (let j = 0; j <= n; j++) {
    if (j > 0) binom = (binom * BigInt(n - j + 1)) / BigInt(j);
    cumulative += binom;
    // cumulative / total <= (1000 - c) / 2000, cross-multiplied.
    if (cumulative * 2000n > BigInt(1000 - confidencePermille) * total) break;
    k = j + 1;
  }
  return k;
}

test('n = 10 at 95% gives the 2nd and 9th order statistics', () => {
  // P(B <= 1) = 11/1024 = 0.0107 <= 0.025; P(B <= 2) = 56/1024 = 0.0547 > 0.025.
  const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  assert.deepEqual(medianCI(sorted), { low: 20, high: 90 });
});

test('n = 20 at 95% gives the 6th and 15th order statistics', () => {
  const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
  assert.deepEqual(medianCI(sorted, 0.95), { low: 6, high: 15 });
});

test('too few samples to reach the confidence fall back to min and max', () => {
  // n = 5: even [min, max] covers only 1 - 2/32 = 93.75%.
  assert.deepEqual(medianCI([1, 2, 3, 4, 5]), { low: 1, high: 5 });
  assert.deepEqual(medianCI([4]), { low: 4, high: 4 });
  // n = 6 reaches 96.9% with [min, max].
  assert.deepEqual(medianCI([1, 2, 3, 4, 5, 6]), { low: 1, high: 6 });
});

test('ranks match an exact integer binomial computation for n up to 80 at 90%, 95% and 99%', () => {
  for (let n = 1; n <= 80; n++) {
    for (const permille of [900, 950, 990]) {
      assert.equal(medianCIRank(n, permille / 1000), exactRank(n, permille), `n=${n}, confidence=${permille / 1000}`);
    }
  }
});

test('ranks stay exact for large n, where 2^-n underflows, and across the switch to the normal approximation', () => {
  assert.equal(medianCIRank(1200, 0.95), exactRank(1200, 950));
  assert.equal(medianCIRank(EXACT_BINOMIAL_MAX_N, 0.95), exactRank(EXACT_BINOMIAL_MAX_N, 950));
  // Exact answers computed once with rational arithmetic: the approximation hits them.
  assert.equal(medianCIRank(EXACT_BINOMIAL_MAX_N + 1, 0.95), 2431);
  assert.equal(medianCIRank(10000, 0.95), 4902);
  assert.equal(medianCIRank(10000, 0.99), 4871);
});

test('medianCI rejects an empty array and a confidence outside (0, 1)', () => {
  assert.throws(() => medianCI([]), /empty/);
  assert.throws(() => medianCI([1, 2, 3], 1), /confidence/);
});
