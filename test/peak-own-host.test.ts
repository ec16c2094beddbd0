/**
 * Each runtime's measured GEMM peak comes from that runtime in its own host:
 * a session with its own loop (a Python worker, a Chromium page) times the
 * MatMul there, not around run() across its pipe; the share of the peak in a
 * result is computed against the trial's own runtime's reference, named in
 * the result; a reference timed the old way is measured again. Then one real
 * runtime end to end (OpenVINO in its Python worker) through the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoopMeasurement, Runtime, RuntimeHost, Session, StoppingRule } from '../src/runtimes/runtime.js';
import type { OkTrial } from '../src/results/types.js';
import type { TrialSpec } from '../src/core/trial-spec.js';
import { gflopsOfLoop, measurePeakGflops, CPU_GEMM, PEAK_RULE, storedPeak, timeMatmul, type PeakMeasurer } from '../src/probes/peak.js';
import { withEfficiency } from '../src/engine/efficiency-figures.js';
import { runtimeStatus } from '../src/runtimes/registry.js';
import { readJsonl } from '../src/results/jsonl.js';
import { matmulModelBytes, tempDir, writeModel } from './helpers/models.js';
import { okResult } from './helpers/ok-result.js';
import { runCli } from './helpers/cli.js';

/** A runtime whose run() is slow (a pipe to cross) and whose own loop reports the given samples. */
function hostedRuntime(name: string, host: RuntimeHost, loopSamplesMs?: number[]) {
  const seen = { runs: 0, rules: [] as StoppingRule[] };
  const runtime: Runtime = {
    name, description: 'test double', host, providerNames: ['cpu'], settings: [],
    availability: async () => [{ name: 'cpu', available: true }],
    versions: async () => ({}),
    async createSession() {
      const session: Session = {
        inputs: [], outputs: [],
        prepare: (feeds) => feeds,
        async run() {
          seen.runs += 1;
          await new Promise((r) => setTimeout(r, 30));
          return {};
        },
        readOutputs: async () => ({}),
        async dispose() {},
      };
      if (loopSamplesMs) {
        session.measureLoop = async (_p: unknown, rule: StoppingRule): Promise<LoopMeasurement> => {
          seen.rules.push(rule);
          const measuredS = loopSamplesMs.reduce((a, b) => a + b, 0) / 1000;
          return { firstInferenceMs: 1, warmupRuns: rule.warmupRuns, samplesMs: loopSamplesMs, converged: false, measuredS, timerOverheadMs: 0, timerResolutionMs: 0.001 };
        };
      }
      return session;
    },
  };
  return { runtime, seen };
}

/** Timed in this process and called quiet: the suites running beside this one must not make it re-measure. */
const quiet: PeakMeasurer = async (runtime, options, gemm) => ({ gflops: await timeMatmul(runtime, options, gemm), othersCores: 0 });

test('a session with its own loop times the GEMM there: run() across the pipe is never the clock', async () => {
  const n = 64;
  const { runtime, seen } = hostedRuntime('hosted', 'python', [4, 2, 3]);
  const gflops = await timeMatmul(runtime, { provider: 'cpu', settings: {} }, { n, chain: 1 });
  assert.equal(seen.runs, 0, 'no call went through run()');
  assert.deepEqual(seen.rules, [PEAK_RULE]);
  assert.equal(gflops, (2 * n ** 3) / 2e6, 'the best call of the loop: 2 n^3 FLOP over 2 ms');
});

test('the loop figure is the best call, or all calls over the window when they overlapped', () => {
  assert.equal(gflopsOfLoop({ samplesMs: [10, 5], measuredS: 0.015 }, { n: 100, chain: 1 }), 2e6 / 5e6);
  // Four calls of 10 ms each in flight together, done in 20 ms: 4 x 2e6 FLOP / 20 ms.
  assert.equal(gflopsOfLoop({ samplesMs: [10, 10, 10, 10], measuredS: 0.02 }, { n: 100, chain: 1 }), (4 * 2e6) / 2e7);
});

test('each runtime family shares against its own reference, timed in its own host and named in the result', async () => {
  const dir = tempDir('infermark-peak-host-');
  try {
    const n = 64;
    const modelPath = writeModel(dir, 'mm.onnx', matmulModelBytes(n));
    // Three hosts, three different GEMM peaks: the Node runner's (around run), a Python worker's and a page's (their own loops).
    const families = {
      'node-rt': hostedRuntime('node-rt', 'node'),
      'python-rt': hostedRuntime('python-rt', 'python', [2]),
      'page-rt': hostedRuntime('page-rt', 'chromium', [8]),
    };
    const source = {
      runtime: async (name: string) => families[name as keyof typeof families].runtime,
      // Timed in this process for the test (the sweep uses a runner); each runtime still times in its own way.
      measure: quiet,
      cacheDir: dir,
    };
    const figures: Record<string, { share: number; peak: number; reference: string; achieved: number }> = {};
    for (const name of Object.keys(families)) {
      const spec = {
        key: name, modelRef: modelPath, modelPath, modelSha256: 'x', modelSizeBytes: 0, runtime: name, provider: 'cpu', settings: {},
        batchSize: 1, scenario: 'single-stream', inputShapes: { x: [1, n] }, intRanges: {},
      } as unknown as TrialSpec;
      const r = await withEfficiency(spec, okResult(spec, 1000), source) as OkTrial;
      const e = r.efficiency!;
      figures[name] = { share: e.measuredPeakShare!, peak: e.peakGflops!, reference: e.peakReference!, achieved: e.achievedGflops };
    }
    const cache = JSON.parse(readFileSync(join(dir, 'peak-gflops.json'), 'utf8'));
    const loopGflops = (ms: number) => (2 * CPU_GEMM.n ** 3) / (ms * 1e6);
    assert.equal(figures['python-rt'].peak, loopGflops(2));
    assert.equal(figures['page-rt'].peak, loopGflops(8));
    // The Node runtime's run() sleeps 30 ms, so its peak is about 2 n^3 / 30 ms: far below the others.
    // (A 30 ms setTimeout may fire up to a millisecond early by performance.now(): libuv's loop clock is coarser.)
    assert.ok(figures['node-rt'].peak <= loopGflops(28), `node-rt peak ${figures['node-rt'].peak}`);
    for (const [name, f] of Object.entries(figures)) {
      assert.equal(f.peak, cache[`${name}|cpu|threads=default`].gflops, `${name}: its own cache entry`);
      assert.ok(Math.abs(f.share - f.achieved / f.peak) < 1e-12, `${name}: share against its own peak`);
      assert.match(f.reference, new RegExp(`^${name}\\|cpu\\|threads=default, a ${CPU_GEMM.n}x${CPU_GEMM.n} MatMul timed in `));
    }
    assert.match(figures['python-rt'].reference, /its Python worker$/);
    assert.match(figures['page-rt'].reference, /its Chromium page$/);
    assert.match(figures['node-rt'].reference, /the Node runner$/);
    assert.deepEqual(Object.fromEntries(Object.entries(cache).map(([k, v]) => [k, (v as { timedIn: string }).timedIn])),
      { 'node-rt|cpu|threads=default': 'node', 'python-rt|cpu|threads=default': 'python', 'page-rt|cpu|threads=default': 'chromium' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stored peak timed around run() (no host recorded) is measured again in the runtime\'s host', async () => {
  const dir = tempDir('infermark-peak-host-');
  try {
    const { runtime } = hostedRuntime('python-rt', 'python', [2]);
    const { loadavg } = await import('node:os');
    writeFileSync(join(dir, 'peak-gflops.json'), JSON.stringify({
      'python-rt|cpu|threads=default': { gflops: 1, matrixSize: CPU_GEMM.n, measuredAt: 'then', loadAvg1: loadavg()[0] },
    }));
    const m = await measurePeakGflops(runtime, { provider: 'cpu', settings: {} }, dir, quiet);
    assert.equal(m.cached, false);
    assert.equal(m.timedIn, 'python');
    assert.equal(m.gflops, (2 * CPU_GEMM.n ** 3) / 2e6);
    const again = await measurePeakGflops(runtime, { provider: 'cpu', settings: {} }, dir, quiet);
    assert.equal(again.cached, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('duration estimates use a stored peak only where its host, its load and the other processes\' share were recorded', async () => {
  const dir = tempDir('infermark-peak-stored-');
  try {
    writeFileSync(join(dir, 'peak-gflops.json'), JSON.stringify({
      'old-rt|cpu|threads=default': { gflops: 27, matrixSize: CPU_GEMM.n, measuredAt: 'then' },
      'unwatched-rt|cpu|threads=default': { gflops: 65, matrixSize: CPU_GEMM.n, measuredAt: 'then', loadAvg1: 1.5, timedIn: 'node' },
      'new-rt|cpu|threads=default': { gflops: 150, matrixSize: CPU_GEMM.n, measuredAt: 'now', loadAvg1: 1.5, timedIn: 'node', othersCores: 0.05 },
    }));
    const options = { provider: 'cpu', settings: {} };
    assert.equal(await storedPeak('old-rt', options, dir), undefined);
    assert.equal(await storedPeak('unwatched-rt', options, dir), undefined, 'timed before other processes were watched');
    assert.equal((await storedPeak('new-rt', options, dir))?.gflops, 150);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const ov = await runtimeStatus('openvino');
const ovMissing = ov.providers.some((p) => p.available) ? undefined : `openvino: ${ov.providers[0]?.reason ?? ov.loadError}`;
if (ovMissing && process.env.CI === 'true') throw new Error(`CI=true, so the OpenVINO peak test must run, but ${ovMissing}`);

test('end to end: an OpenVINO trial shares against the GEMM OpenVINO timed in its own Python worker', { skip: ovMissing ?? false }, () => {
  const dir = tempDir('infermark-peak-ov-');
  try {
    const model = writeModel(dir, 'mm.onnx', matmulModelBytes(256));
    const out = join(dir, 'r.jsonl');
    const cache = join(dir, 'cache');
    const r = runCli(['run', model, '--runtime', 'openvino', '--batch', '8', '--min-time', '100ms', '--max-time', '500ms', '--min-samples', '5',
      '--warmup', '1', '--no-check-outputs', '--no-db', '-q', '--out', out], { timeoutMs: 600_000, env: { INFERMARK_CACHE_DIR: cache } });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const [t] = readJsonl(out).results as OkTrial[];
    const e = t.efficiency!;
    assert.ok(e, 'efficiency figures were added');
    const stored = JSON.parse(readFileSync(join(cache, 'peak-gflops.json'), 'utf8'));
    const keys = Object.keys(stored);
    assert.equal(keys.length, 1, 'only the trial\'s own runtime was measured');
    const key = keys[0];
    assert.match(key, /^openvino\|cpu\|/);
    assert.equal(e.peakReference, `${key}, a ${CPU_GEMM.n}x${CPU_GEMM.n} MatMul timed in its Python worker`);
    assert.equal(stored[key].timedIn, 'python');
    assert.equal(e.peakGflops, stored[key].gflops);
    assert.ok(Math.abs(e.measuredPeakShare! - e.achievedGflops / e.peakGflops!) < 1e-12);
    assert.ok(Math.abs(e.achievedGflops - (2 * 256 * 256 * t.throughputPerS) / 1e9) < 1e-9, 'achieved from the counted rate');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
