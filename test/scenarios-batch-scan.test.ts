import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanDecision } from '../src/scenarios/batch-scan.js';
import type { TrialResult } from '../src/results/types.js';

const scan = { from: 1, max: 64, threshold: 0.05 };
const ok = (batchSize: number, throughputPerS: number) => ({ status: 'ok', batchSize, throughputPerS } as unknown as TrialResult);
const failed = (batchSize: number, kind: string, message: string) => ({ status: 'failed', batchSize, error: { kind, message } } as unknown as TrialResult);

test('the batch doubles while throughput improves by more than the threshold', () => {
  assert.deepEqual(scanDecision([ok(1, 100)], scan), { next: 2 });
  assert.deepEqual(scanDecision([ok(1, 100), ok(2, 180)], scan), { next: 4 });
});

test('a gain below the threshold ends the scan, and the best batch is reported', () => {
  const d = scanDecision([ok(1, 100), ok(2, 180), ok(4, 300), ok(8, 310)], scan);
  assert.ok('stop' in d);
  assert.equal(d.stop.stoppedBecause, 'plateau');
  assert.equal(d.stop.bestBatch, 8);
  assert.equal(d.stop.bestThroughputPerS, 310);
  assert.deepEqual(d.stop.batches, [1, 2, 4, 8]);
});

test('running out of memory ends the scan at the previous batch', () => {
  const d = scanDecision([ok(1, 100), ok(2, 190), failed(4, 'oom', 'runner was killed by SIGKILL')], scan);
  assert.ok('stop' in d);
  assert.equal(d.stop.stoppedBecause, 'memory');
  assert.equal(d.stop.bestBatch, 2);
  assert.match(d.stop.detail, /ends at batch 2/);
  const alloc = scanDecision([ok(1, 100), failed(2, 'error', 'Failed to allocate memory for requested buffer')], scan);
  assert.ok('stop' in alloc && alloc.stop.stoppedBecause === 'memory');
});

test('the bound ends the scan, and another failure is named', () => {
  const d = scanDecision([ok(32, 100), ok(64, 200)], scan);
  assert.ok('stop' in d && d.stop.stoppedBecause === 'bound');
  const f = scanDecision([ok(1, 100), failed(2, 'crash', 'runner exited with code 3')], scan);
  assert.ok('stop' in f && f.stop.stoppedBecause === 'failed' && /exited with code 3/.test(f.stop.detail));
});
