/**
 * The audit: every reported figure recomputed from the raw per-call
 * timestamps the runner recorded, on the fake runtime with known service
 * times. Equalities are exact (the same arithmetic on the same record);
 * bounds follow from the service time alone (a call cannot complete faster
 * than its service time), never from how fast this machine happens to be.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';
import type { EnsembleFigures, OkTrial, ServerFigures } from '../src/results/types.js';
import { summarizeAttempt, breaksMonotonicity, type ServeResult } from '../src/scenarios/server-loop.js';
import { efficiency } from '../src/onnx/efficiency.js';
import { countedRateCI } from '../src/analysis/counted-rate-ci.js';

const FAST = ['--min-time', '300ms', '--max-time', '2s', '--min-samples', '10', '--warmup', '1', '-q', '--no-efficiency'];

function run(args: string[]): OkTrial[] {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'fake', ...args, '--out', out]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const { results } = readJsonl(out);
  assert.ok(results.every((x) => x.status === 'ok'), JSON.stringify(results.map((x) => x.status)));
  return results as OkTrial[];
}

test('throughput: items completed in the window over the window, recounted from the calls', () => {
  for (const wait of ['spin', 'sleep']) {
    const [t] = run(['--set', `latencyMs=3`, '--set', `wait=${wait}`, '--batch', '4', ...FAST]);
    const { startMs, endMs } = t.calls!;
    assert.equal(startMs.length, t.samplesMs.length);
    // Each sample is its call's end minus its start; calls follow one another.
    for (let i = 0; i < endMs.length; i++) {
      assert.ok(Math.abs(endMs[i] - startMs[i] - t.samplesMs[i]) < 1e-6, `call ${i}`);
      // A spin is 3 ms of CPU time, so at least 3 ms of wall time (a timer may fire early: sleep has no such floor).
      if (wait === 'spin') assert.ok(t.samplesMs[i] >= 3, `a 3 ms spin took ${t.samplesMs[i]} ms`);
      if (i > 0) assert.ok(startMs[i] >= endMs[i - 1]);
    }
    const windowS = endMs[endMs.length - 1] / 1000;
    assert.equal(t.itemsCompleted, 4 * endMs.length);
    assert.equal(t.countedWindowS, windowS);
    assert.equal(t.measuredS, windowS);
    assert.equal(t.throughputPerS, (4 * endMs.length) / windowS);
    // Counted over the window, it can never beat what the calls' own times allow.
    assert.ok(t.throughputPerS <= (4 * 1000) / t.latencyMs.mean + 1e-9);
    if (wait === 'spin') assert.ok(t.throughputPerS <= (4 * 1000) / 3);
    assert.equal(t.perCallItemsPerS, (4 * 1000) / t.latencyMs.median);
    // Its interval is made of block rates of the same calls: it holds the counted rate's neighbourhood, inside their range.
    const ci = countedRateCI(t.calls!, 4);
    if (ci) assert.ok(ci.low <= ci.high && ci.high <= (4 * 1000) / Math.min(...t.samplesMs));
  }
});

test('server: achieved rate over first arrival to last completion, and the held rate from the attempts', () => {
  const [t] = run(['--set', 'latencyMs=2', '--scenario', 'server', '--rate', '40', '--queries', '60', '-q', '--no-efficiency']);
  const f = t.figures as ServerFigures;
  const { startMs: arrivals, endMs: completions } = t.calls!;
  assert.equal(arrivals.length, 60);
  const spanS = (Math.max(...completions) - Math.min(...arrivals)) / 1000;
  assert.equal(t.throughputPerS, 60 / spanS);
  assert.equal(f.achievedPerS, 60 / spanS);
  // Each query's latency is its completion minus its arrival, and a query is served after at least its 2 ms of CPU.
  const latencies = completions.map((c, i) => c - arrivals[i]);
  assert.deepEqual([...latencies].sort((a, b) => a - b), [...t.samplesMs].sort((a, b) => a - b));
  assert.ok(latencies.every((l) => l >= 2));
  // The held rate is the highest offered rate whose achieved rate came within 5% of it (no p99 bound here).
  const points = f.curve!;
  for (const p of points) assert.equal(p.held, p.achievedPerS >= 0.95 * p.ratePerS);
  const held = points.filter((p) => p.held).map((p) => p.ratePerS);
  assert.equal(f.maxRatePerS, held.length ? Math.max(...held) : null);
});

function served(arrivalMs: number[], completionMs: number[]): ServeResult {
  return {
    latenciesMs: completionMs.map((c, i) => c - arrivalMs[i]), queueMs: arrivalMs.map(() => 0), batchSizes: arrivalMs.map(() => 1),
    arrivalMs, completionMs, spanS: (Math.max(...completionMs) - Math.min(...arrivalMs)) / 1000,
  };
}

test('server attempt: a rate is held only when p99 holds AND the achieved rate is within 5% of the offered one', () => {
  // 10 queries offered at 100/s, one every 10 ms from 10 ms; served in 2 ms: achieved 10 / (102 - 10) ms.
  const arrivals = Array.from({ length: 10 }, (_, i) => 10 + 10 * i);
  const kept = summarizeAttempt(100, served(arrivals, arrivals.map((a) => a + 2)), 50);
  assert.equal(kept.achievedPerS, 10 / 0.092);
  assert.equal(kept.held, true);
  // The same queries completed late, all at 400 ms: p99 (390 ms) breaks a 500 ms bound? no; but achieved = 10 / 0.39 s < 95/s.
  const behind = summarizeAttempt(100, served(arrivals, arrivals.map(() => 400)), 500);
  assert.ok(behind.p99Ms <= 500);
  assert.equal(behind.achievedPerS, 10 / 0.39);
  assert.equal(behind.held, false);
  assert.equal(summarizeAttempt(100, served(arrivals, arrivals.map((a) => a + 2)), 1).held, false, 'p99 over the bound');
});

test('server search: an attempt that fares worse at a lower rate than at a higher one breaks monotonicity', () => {
  const at = (ratePerS: number, p99Ms: number, held: boolean) => ({ ratePerS, p50Ms: p99Ms / 2, p99Ms, achievedPerS: ratePerS, meanQueueMs: 0, meanBatch: 1, held });
  assert.equal(breaksMonotonicity(at(6.8, 1219, false), [at(9.1, 55.9, true)]), true);
  assert.equal(breaksMonotonicity(at(9.1, 55.9, true), [at(6.8, 1219, false)]), true);
  assert.equal(breaksMonotonicity(at(6.8, 40, true), [at(9.1, 55.9, true)]), false);
  assert.equal(breaksMonotonicity(at(12, 900, false), [at(9.1, 55.9, true)]), false);
});

test('ensemble: every member\'s items inside one common window over that window, recounted from the members\' calls', () => {
  const dir = tempDir();
  const models = [4, 5, 6].map((w) => writeModel(dir, `m${w}.onnx`, addModelBytes(w)));
  const out = join(dir, 'e.jsonl');
  const r = runCli(['run', ...models, '--runtime', 'fake', '--set', 'latencyMs=10', '--scenario', 'ensemble', '--batch', '1', ...FAST, '--out', out]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [t] = readJsonl(out).results as OkTrial[];
  assert.equal(t.status, 'ok');
  const f = t.figures as EnsembleFigures;
  const members = f.members.map((m) => m.calls!);
  const start = Math.max(...members.map((c) => Math.min(...c.startMs)));
  const end = Math.min(...members.map((c) => Math.max(...c.endMs)));
  assert.deepEqual(f.commonWindowMs, { startMs: start, endMs: end });
  const inside = members.map((c) => c.startMs.filter((s, i) => s >= start && c.endMs[i] <= end).length);
  assert.deepEqual(f.members.map((m) => m.coLocatedItems), inside);
  const windowS = (end - start) / 1000;
  assert.equal(f.commonWindowS, windowS);
  assert.equal(f.aggregateCoLocatedPerS, inside.reduce((a, b) => a + b, 0) / windowS);
  // Sequential: from each member's counted rate alone, k / sum(1 / rate).
  assert.equal(f.aggregateSequentialPerS, 3 / f.members.reduce((s, m) => s + 1 / m.alonePerS, 0));
  // An ensemble prediction needs every member: the trial's own rate is the slowest member's items in the window.
  assert.equal(t.throughputPerS, Math.min(...inside) / windowS);
  // 10 ms of CPU per call: the cores bound what three members complete together.
  const cores = availableParallelism();
  assert.ok(f.aggregateCoLocatedPerS <= cores * 100 * 1.02, `aggregate ${f.aggregateCoLocatedPerS} on ${cores} cores`);
  assert.ok(f.speedup <= Math.min(cores, 3) * 1.05, `speedup ${f.speedup}`);
});

test('share of peak: achieved GFLOP/s recomputed from MACs and the counted rate; the theoretical share is a share of a ceiling', () => {
  const { figures } = efficiency(2e6, 250, { measuredGflops: 2, theoreticalGflops: 4 });
  assert.equal(figures.achievedGflops, (2 * 2e6 * 250) / 1e9);
  assert.equal(figures.measuredPeakShare, figures.achievedGflops / 2);
  assert.equal(figures.theoreticalPeakShare, figures.achievedGflops / 4);
});

test('CPU window: the cores-busy window is the measured window', () => {
  const [t] = run(['--set', 'latencyMs=5', '--min-time', '1s', '--max-time', '2s', '--min-samples', '10', '--warmup', '5', '-q', '--no-efficiency']);
  assert.ok(t.cpu, 'the CPU probe ran');
  // The probe reads the process tree when the runner says the window opens and closes: only the messages' transit lies between.
  assert.ok(Math.abs(t.cpu!.windowS - t.measuredS) <= 0.1 * t.measuredS, `CPU window ${t.cpu!.windowS} s, measured ${t.measuredS} s`);
  assert.ok(!t.warnings.some((w) => w.code === 'cpu-window'));
});
