/**
 * The engine asks a trial's scenario what follows it (Scenario.followUp) and
 * knows no scenario by name: an offline batch scan doubles the batch through
 * that hook. The trials run on a launcher that returns counted results at a
 * known service time (2 ms + 0.5 ms per item), so the scan's path is exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { synthTrial } from './fixtures/synthetic.js';
import { resolveOptions } from '../src/api/options.js';
import { prepareTrials } from '../src/api/prepare.js';
import { runSweep } from '../src/engine/sweep.js';
import type { Launcher } from '../src/launchers/launcher.js';
import type { OfflineFigures, TrialResult } from '../src/results/types.js';

const knownService: Launcher = {
  name: 'known-service',
  async run(spec) {
    const ms = 2 + 0.5 * spec.batchSize;
    return { ...synthTrial({ batchSize: spec.batchSize, samplesMs: Array(20).fill(ms), key: spec.key }), scenario: 'offline' } as TrialResult;
  },
  cancel() {},
};

test('an offline batch scan runs through its scenario follow-up: doubling until the gain falls under the threshold', async () => {
  const model = writeModel(tempDir(), 'add.onnx', addModelBytes());
  const trials = await prepareTrials(resolveOptions({
    model, runtimes: ['fake'], scenarios: ['offline'], batchScan: { from: 1, max: 1024, threshold: 0.25 },
  }));
  assert.equal(trials.length, 1, 'one first step; the rest follow');
  const saved: TrialResult[] = [];
  const results = await runSweep(trials, { launcher: knownService, onResult: (r) => { saved.push(r); } });
  // 1000 b / (2 + 0.5 b): +67%, +50%, +33%, then +20% at batch 16.
  assert.deepEqual(results.map((r) => r.batchSize), [1, 2, 4, 8, 16]);
  const scan = results.at(-1)!.figures as OfflineFigures;
  assert.equal(scan.stoppedBecause, 'plateau');
  assert.equal(scan.bestBatch, 16);
  assert.deepEqual(scan.batches, [1, 2, 4, 8, 16]);
  assert.ok(results.slice(0, -1).every((r) => r.figures === undefined), 'only the last step carries the outcome');
  assert.deepEqual(saved, results, 'each step is saved as it is returned');
});

test('a resumed scan keeps its saved steps as they were and runs only the missing ones', async () => {
  const model = writeModel(tempDir(), 'add.onnx', addModelBytes());
  const trials = await prepareTrials(resolveOptions({
    model, runtimes: ['fake'], scenarios: ['offline'], batchScan: { from: 1, max: 4, threshold: 0.25 },
  }));
  const first = await runSweep(trials, { launcher: knownService });
  assert.deepEqual(first.map((r) => r.batchSize), [1, 2, 4]);
  const ran: number[] = [];
  const counting: Launcher = { ...knownService, run: (spec, o) => { ran.push(spec.batchSize); return knownService.run(spec, o); } };
  const again = await runSweep(trials, { launcher: counting, done: first.slice(0, 2) });
  assert.deepEqual(ran, [4]);
  assert.deepEqual(again.slice(0, 2), first.slice(0, 2));
  assert.equal((again[2].figures as OfflineFigures).stoppedBecause, 'bound');
});
