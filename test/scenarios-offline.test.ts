/**
 * Offline batch scan and repetitions on the fake runtime with a known
 * service time: latency = 20 ms + 5 ms per item, so throughput is
 * 1000 b / (20 + 5 b): +67%, +50%, +33%, then +20% at batch 16, where a
 * 25% threshold ends the scan. The threshold sits between two gains far
 * apart (33% and 20%): counted rates on a shared 2-core machine wander by a
 * few percent, and a threshold next to a gain would turn that into a coin toss.
 * The scan's calls last tens of milliseconds: a spin of 3 ms, preempted once
 * by the suites beside it, doubled, and a step's gain with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';
import type { ScanSummary } from '../src/scenarios/batch-scan.js';
import type { OkTrial } from '../src/results/types.js';

const FAST = ['--min-time', '100ms', '--min-samples', '5', '--warmup', '1', '-q'];

test('--batch scan doubles the batch until throughput stops improving, and reports the best batch', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'fake', '--set', 'latencyMs=20', '--set', 'perItemMs=5', '--scenario', 'offline',
    '--batch', 'scan', '--scan-threshold', '25%', '--out', out, ...FAST]);
  assert.equal(r.code, 0, r.stderr);
  const results = readJsonl(out).results as OkTrial[];
  const batches = results.map((x) => x.batchSize);
  // Doubling from 1, past the steps whose gains (67%, 50%) no noise can bring under 25%.
  assert.deepEqual(batches, batches.map((_, i) => 2 ** i));
  assert.ok(batches.length >= 4 && batches.length <= 6, `expected a plateau near batch 16, scanned ${batches}`);
  // The decision, recomputed from the counted rates: every step it took gained at least 25%, the last did not.
  const rates = results.map((x) => x.throughputPerS);
  for (let i = 1; i < rates.length - 1; i++) assert.ok(rates[i] / rates[i - 1] - 1 >= 0.25, `step to ${batches[i]} gained ${rates[i] / rates[i - 1] - 1}`);
  assert.ok(rates.at(-1)! / rates.at(-2)! - 1 < 0.25);
  const scan = results[results.length - 1].figures as ScanSummary;
  assert.equal(scan.stoppedBecause, 'plateau');
  const best = batches[rates.indexOf(Math.max(...rates))];
  assert.equal(scan.bestBatch, best);
  assert.match(r.stdout, new RegExp(`batch scan, .*best batch ${best} .*stopped: plateau`));

  // The bound ends it first when it is lower.
  const bounded = runCli(['run', model, '--runtime', 'fake', '--set', 'latencyMs=2', '--set', 'perItemMs=0.5', '--scenario', 'offline',
    '--batch', 'scan', '--scan-max', '8', '--json', ...FAST]);
  const steps = JSON.parse(bounded.stdout).results as { batchSize: number; throughputPerS: number; figures?: ScanSummary }[];
  const last = steps.at(-1)!;
  // Recomputed from the counted rates (default threshold 5%): a noise burst on a shared machine can flatten one step.
  const flat = steps.slice(1).some((x, i) => x.throughputPerS / steps[i].throughputPerS - 1 < 0.05);
  assert.equal(last.figures?.stoppedBecause, flat ? 'plateau' : 'bound', JSON.stringify(steps.map((x) => [x.batchSize, x.throughputPerS])));
  if (!flat) assert.equal(last.batchSize, 8);
  assert.ok(last.batchSize <= 8, 'never past the bound');
});

test('a scan that runs out of memory ends at the previous batch, recorded as such', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const r = runCli(['run', model, '--runtime', 'fake', '--set', 'latencyMs=20', '--set', 'perItemMs=5', '--set', 'oomAboveBatch=4',
    '--scenario', 'offline', '--batch', 'scan', '--json', ...FAST]);
  assert.equal(r.code, 1, 'the killed trial is a failure');
  const results = JSON.parse(r.stdout).results as { batchSize: number; status: string; error?: { kind: string }; figures?: ScanSummary }[];
  assert.deepEqual(results.map((x) => [x.batchSize, x.status]), [[1, 'ok'], [2, 'ok'], [4, 'ok'], [8, 'failed']]);
  assert.equal(results[3].error?.kind, 'oom');
  const scan = results[3].figures;
  assert.equal(scan?.stoppedBecause, 'memory');
  assert.equal(scan?.bestBatch, 4);
  assert.match(scan?.detail ?? '', /batch 8 ran out of memory; the scan ends at batch 4/);
});

test('--repeat runs each trial in fresh processes and gives the spread and a CI across repetitions', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'fake', '--set', 'latencyMs=2', '--repeat', '3', '--out', out, ...FAST]);
  assert.equal(r.code, 0, r.stderr);
  const results = readJsonl(out).results;
  assert.deepEqual(results.map((x) => x.repetition), [0, 1, 2]);
  assert.equal(new Set(results.map((x) => x.key)).size, 1);
  assert.match(r.stdout, /repetitions, .*median of medians 2\.\d+ ms, mean 2\.\d+ ms \[between-process 95% CI [\d.]+, [\d.]+\], spread [\d.]+% over 3 runs/);
});
