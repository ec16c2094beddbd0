/** The peak probe and the efficiency figures, with a fake Runtime (no timing is asserted). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runtime, Session, SessionOptions } from '../src/runtimes/runtime.js';
import { loadMatches, measurePeakGflops, peakCacheKey, CPU_GEMM, timeMatmul, type PeakMeasurer } from '../src/probes/peak.js';
import { efficiency } from '../src/onnx/efficiency.js';
import { decodeModel, modelIO } from '../src/onnx/read.js';

function fakeRuntime() {
  const calls = { sessions: 0, runs: 0, disposed: 0, models: [] as Uint8Array[] };
  const runtime: Runtime = {
    name: 'fake-matmul',
    description: 'test double',
    host: 'node',
    providerNames: ['cpu'],
    settings: [],
    availability: async () => [{ name: 'cpu', available: true }],
    versions: async () => ({}),
    async createSession(model) {
      calls.sessions += 1;
      calls.models.push(model.bytes!);
      const session: Session = {
        inputs: [], outputs: [],
        prepare: (feeds) => feeds,
        async run() {
          calls.runs += 1;
          return {};
        },
        readOutputs: async () => ({}),
        async dispose() { calls.disposed += 1; },
      };
      return session;
    },
  };
  return { runtime, calls };
}

/** Timed in this process and called quiet: the suites running beside this one must not make it re-measure. */
const quiet: PeakMeasurer = async (runtime, options, gemm) => ({ gflops: await timeMatmul(runtime, options, gemm), othersCores: 0 });

test('the probe runs a large MatMul through the Runtime interface and caches the figure per runtime, provider and threads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'infermark-peak-'));
  try {
    const { runtime, calls } = fakeRuntime();
    const options: SessionOptions = { provider: 'cpu', settings: { intraOpNumThreads: 2, graphOptimizationLevel: 'all' } };
    const first = await measurePeakGflops(runtime, options, dir, quiet);
    assert.equal(first.cached, false);
    assert.ok(first.gflops > 0 && Number.isFinite(first.gflops));
    assert.equal(calls.sessions, 1);
    assert.equal(calls.disposed, 1);
    assert.ok(calls.runs >= 5);
    const io = modelIO(decodeModel(calls.models[0]));
    assert.deepEqual(io.inputs, [{ name: 'a', dtype: 'float32', shape: [CPU_GEMM.n, CPU_GEMM.n] }]);

    const again = await measurePeakGflops(runtime, { provider: 'cpu', settings: { intraOpNumThreads: 2, graphOptimizationLevel: 'basic' } }, dir, quiet);
    assert.deepEqual({ gflops: again.gflops, cached: again.cached }, { gflops: first.gflops, cached: true });
    assert.equal(again.loadAvg1, first.loadAvg1, 'the load average it was measured under is kept with it');
    assert.equal(calls.sessions, 1, 'no new measurement for a cached key');

    const other = await measurePeakGflops(runtime, { provider: 'cpu', settings: { intraOpNumThreads: 1 } }, dir, quiet);
    assert.equal(other.cached, false);
    const cache = JSON.parse(readFileSync(join(dir, 'peak-gflops.json'), 'utf8'));
    assert.deepEqual(Object.keys(cache).sort(), ['fake-matmul|cpu|intraOpNumThreads=1', 'fake-matmul|cpu|intraOpNumThreads=2']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged cache file is ignored and replaced', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'infermark-peak-'));
  try {
    writeFileSync(join(dir, 'peak-gflops.json'), '{ not json');
    const { runtime } = fakeRuntime();
    const r = await measurePeakGflops(runtime, { provider: 'cpu', settings: {} }, dir);
    assert.equal(r.cached, false);
    assert.ok(JSON.parse(readFileSync(join(dir, 'peak-gflops.json'), 'utf8'))['fake-matmul|cpu|threads=default']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the cache key names runtime, provider and thread settings only', () => {
  const { runtime } = fakeRuntime();
  assert.equal(peakCacheKey(runtime, { provider: 'cuda', settings: { interOpNumThreads: 1, intraOpNumThreads: 4, executionMode: 'parallel' } }),
    'fake-matmul|cuda|interOpNumThreads=1|intraOpNumThreads=4');
});

test('efficiency: achieved GFLOP/s from MACs and the counted rate; both shares, labelled', () => {
  // ResNet-50 at 4.09 GMACs, 20 items/s counted: 2 * 4.09e9 * 20 = 163.6 GFLOP/s.
  const { figures: e, warnings } = efficiency(4.09e9, 20, { measuredGflops: 327.2, measuredLoadAvg1: 0.3, theoreticalGflops: 654.4, theoreticalDerivation: 'x' });
  assert.equal(e.macsPerItem, 4.09e9);
  assert.ok(Math.abs(e.achievedGflops - 163.6) < 1e-9);
  assert.equal(e.peakGflops, 327.2);
  assert.equal(e.peakLoadAvg1, 0.3);
  assert.ok(Math.abs(e.measuredPeakShare! - 0.5) < 1e-12);
  assert.ok(Math.abs(e.theoreticalPeakShare! - 0.25) < 1e-12);
  assert.deepEqual(warnings, []);
  assert.deepEqual(Object.keys(efficiency(1e6, 1).figures), ['macsPerItem', 'achievedGflops']);
  assert.throws(() => efficiency(1e6, 0), /itemsPerS must be > 0/);
});

test('a share of the measured peak above 1 warns that the reference was measured low; the theoretical share never passes 1', () => {
  const { figures, warnings } = efficiency(1e9, 100, { measuredGflops: 100, theoreticalGflops: 150 });
  assert.equal(figures.measuredPeakShare, 2);
  assert.equal(figures.theoreticalPeakShare, 1);
  assert.deepEqual(warnings.map((w) => w.code).sort(), ['mac-count-above-peak', 'measured-peak-low']);
  assert.match(warnings.find((w) => w.code === 'measured-peak-low')!.message, /measured low/);
});

test('a cached peak stands only under about the same load', () => {
  assert.equal(loadMatches(undefined, 0.1), false);
  assert.equal(loadMatches(0.2, 0.6), true);
  assert.equal(loadMatches(0.2, 1.5), false);
  assert.equal(loadMatches(8, 9.5), true);
  assert.equal(loadMatches(8, 11), false);
});
