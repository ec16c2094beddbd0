/**
 * The library reads the database's history as the CLI does: benchmark()'s
 * ETA holds from the first trial on when an earlier run measured the same
 * model and runtime, and estimateDuration() (the library's dry run) learns
 * from that run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchmark, estimateDuration } from '../src/api/benchmark.js';
import type { BenchmarkOptions } from '../src/api/options.js';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';

test('benchmark() and estimateDuration() learn from earlier runs in the database', async (t) => {
  const dir = tempDir('infermark-history-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'db.sqlite');
  const options: BenchmarkOptions & { db: string } = {
    model: [writeModel(dir, 'add.onnx', addModelBytes())], runtimes: ['fake'], settings: { latencyMs: 2 }, batchSizes: [1, 2],
    stopping: { warmupRuns: 1, minSamples: 5, minTimeMs: 50, maxTimeMs: 300 }, db,
  };
  const before = await estimateDuration(options);
  assert.deepEqual({ learned: before.learned, trials: before.trials }, { learned: 0, trials: 2 });
  assert.ok(before.lowMs < before.highMs, 'nothing known: a range from the stopping rule');

  const firstEta = async () => {
    let eta: number | undefined | null = null;
    await benchmark({ ...options, checkOutputs: false, efficiency: false, onProgress: (p) => { if (eta === null) eta = p.etaMs; } });
    return eta;
  };
  assert.equal(await firstEta(), undefined, 'an empty database: no ETA before the first trial ends');

  const after = await estimateDuration(options);
  assert.equal(after.learned, 2);
  assert.equal(after.lowMs, after.highMs);
  const eta = await firstEta();
  assert.equal(typeof eta, 'number', 'the earlier run in the database gives an ETA from the first trial on');
  assert.ok(eta! > 0);
  assert.equal((await estimateDuration({ ...options, db: false } as never)).learned, 0, 'db: false reads no history');
});
