/**
 * The server scenario on the fake runtime with a fixed 10 ms service time at
 * batch 1: queueing grows as the rate approaches 100 per second, and the p99
 * search finds a rate below it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';
import { serve } from '../src/scenarios/server-loop.js';
import { poissonArrivalsMs } from '../src/scenarios/arrivals.js';
import type { OkTrial, ServerFigures } from '../src/results/types.js';

function spinFor(ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* fixed service time */ }
  return Promise.resolve();
}

test('arrivals are seeded and average the target rate', () => {
  const a = poissonArrivalsMs(50, 2000, 1);
  assert.deepEqual(a, poissonArrivalsMs(50, 2000, 1));
  assert.notDeepEqual(a, poissonArrivalsMs(50, 2000, 2));
  const rate = a.length / (a[a.length - 1] / 1000);
  assert.ok(Math.abs(rate - 50) < 5, `rate ${rate}`);
});

test('queueing grows as the rate approaches the service rate of 100/s', async () => {
  const meanQueue: number[] = [];
  for (const rate of [20, 60, 90]) {
    const r = await serve(() => spinFor(10), poissonArrivalsMs(rate, 120, 3), 1, 0);
    assert.equal(r.latenciesMs.length, 120);
    assert.ok(r.latenciesMs.every((l) => l >= 10 - 0.5), 'latency counts from arrival and includes the service');
    meanQueue.push(r.queueMs.reduce((a, b) => a + b, 0) / r.queueMs.length);
  }
  assert.ok(meanQueue[0] < meanQueue[1] && meanQueue[1] < meanQueue[2], `mean queueing ${meanQueue.map((q) => q.toFixed(1)).join(' < ')} ms`);
});

test('batching up to maxBatch forms batches when queries queue', async () => {
  const r = await serve(() => spinFor(10), poissonArrivalsMs(150, 150, 4), 4, 5);
  assert.ok(Math.max(...r.batchSizes) > 1 && Math.max(...r.batchSizes) <= 4);
});

test('run --scenario server --p99 finds the highest rate below 100/s whose p99 holds', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'fake', '--set', 'latencyMs=10', '--scenario', 'server', '--p99', '60ms', '--queries', '80', '--out', out, '-q']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [trial] = readJsonl(out).results as OkTrial[];
  const server = trial.figures as ServerFigures;
  assert.equal(server.held, true);
  // The bound is loose on purpose: a test machine running other tests serves slower than 10 ms.
  assert.ok(server.maxRatePerS! > 10 && server.maxRatePerS! < 100, `max rate ${server.maxRatePerS}`);
  assert.ok(server.attempts.every((a) => a.held === (a.p99Ms <= 60 && a.achievedPerS >= 0.95 * a.ratePerS)));
  assert.match(r.stdout, /highest rate with p99 <= 60\.0+ ms/);
});

test('a rate no configuration can hold is reported as such, with the highest rate reached', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'fake', '--set', 'latencyMs=10', '--scenario', 'server', '--rate', '400', '--queries', '60', '--out', out, '-q']);
  assert.equal(r.code, 0, r.stderr);
  const [trial] = readJsonl(out).results as OkTrial[];
  const server = trial.figures as ServerFigures;
  assert.equal(server.held, false);
  assert.ok(server.highestAchievedPerS < 110);
  assert.match(r.stdout, /no rate tried was held; the highest rate reached was/);
});
