import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countedRateCI } from '../src/analysis/counted-rate-ci.js';

/** Back-to-back calls of the given durations (ms), as the loop records them: start and end from the window start. */
function backToBack(durationsMs: number[]): { startMs: number[]; endMs: number[] } {
  const startMs: number[] = [];
  const endMs: number[] = [];
  let t = 0;
  for (const d of durationsMs) { startMs.push(t); t += d; endMs.push(t); }
  return { startMs, endMs };
}

test('the counted rate CI holds the counted figure when one block holds a long stall', () => {
  // 100 calls of 1 ms, one of which stalls for 500 ms: 100 items in 599 ms, about 167 items/s.
  const durations = Array.from({ length: 100 }, (_, i) => (i === 55 ? 500 : 1));
  const calls = backToBack(durations);
  const counted = (100 * 1000) / calls.endMs[99];
  const ci = countedRateCI(calls, 1)!;
  // A mean of the ten block rates would be about 900 items/s, its interval far above what happened.
  assert.ok(ci.low <= counted && counted <= ci.high, `[${ci.low}, ${ci.high}] around ${counted}`);
  assert.ok(ci.high <= 1000, 'never above the fastest block');
});

test('steady calls give a narrow interval at the counted rate; gaps between calls count as time', () => {
  const steady = countedRateCI(backToBack(Array(200).fill(2)), 4)!;
  assert.ok(Math.abs(steady.low - 2000) < 1e-6 && Math.abs(steady.high - 2000) < 1e-6, JSON.stringify(steady));
  // 1 ms calls with 1 ms idle after each: the window is twice the busy time.
  const startMs = Array.from({ length: 100 }, (_, i) => 2 * i);
  const gapped = countedRateCI({ startMs, endMs: startMs.map((s) => s + 1) }, 1)!;
  assert.ok(gapped.low > 490 && gapped.high < 510, JSON.stringify(gapped));
  assert.equal(countedRateCI(backToBack([1, 1, 1]), 1), undefined, 'too few calls: no interval');
});
