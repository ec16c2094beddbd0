/**
 * A trial on a GPU is measured against its GPU: the theoretical ceiling from
 * the CUDA cores and maximum clock NVML declares (never the CPU's), and a
 * measured peak timed on a GEMM large enough to keep a GPU busy (a chain of
 * products that keeps its scale). Without NVML a GPU provider has no ceiling.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import ortNode from '../src/runtimes/ort-node.js';
import type { OkTrial } from '../src/results/types.js';
import type { TrialSpec } from '../src/core/trial-spec.js';
import { gpuTheoreticalPeak, runsOnGpu } from '../src/probes/gpu-peak.js';
import { machinePeak } from '../src/probes/cpu-peak.js';
import { cachedPeakStands, CPU_GEMM, gemmFlops, gflopsOfLoop, GPU_GEMM, peakModelBytes, type PeakGemm, type PeakMeasurer } from '../src/probes/peak.js';
import { withEfficiency } from '../src/engine/efficiency-figures.js';
import { matmulModelBytes, tempDir, writeModel } from './helpers/models.js';
import { okResult } from './helpers/ok-result.js';

test('a GPU\'s theoretical FP32 peak: CUDA cores x 2 FLOP x the maximum SM clock, with its derivation', () => {
  const h200 = gpuTheoreticalPeak('NVIDIA H200', 16896, 1980)!;
  assert.ok(Math.abs(h200.gflops - 66908.16) < 1e-6);
  assert.equal(h200.derivation, "NVIDIA H200: 16896 CUDA cores x 2 FLOP (FMA) x 1.98 GHz (NVML's maximum SM clock)");
  assert.equal(gpuTheoreticalPeak('old', 0, 1500), undefined, 'no cores declared: no ceiling');
  assert.equal(gpuTheoreticalPeak('old', 2048, 0), undefined);
  assert.deepEqual(['cpu', 'cuda', 'tensorrt', 'webgpu', 'webgl', 'wasm'].map(runsOnGpu), [false, true, true, true, true, false]);
});

test('the GPU GEMM is a chain of products that keeps its scale, and its rate counts every product', async () => {
  const gemm: PeakGemm = { n: 48, chain: 5 };
  const session = await ortNode.createSession({ bytes: peakModelBytes(gemm) }, { provider: 'cpu', settings: { graphOptimizationLevel: 'disabled' } });
  try {
    const a = Float32Array.from({ length: gemm.n ** 2 }, (_, i) => Math.sin(i));
    const out = await session.readOutputs(await session.run(session.prepare({ a: { dtype: 'float32', shape: [gemm.n, gemm.n], data: a } })));
    const y = out.y.data as Float32Array;
    const rms = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
    const ratio = rms(y) / rms(a);
    // Each product keeps the variance of its input in expectation: five of them stay within a small factor.
    assert.ok(ratio > 0.3 && ratio < 3, `output scale ${ratio.toFixed(3)} of the input's after ${gemm.chain} products`);
  } finally {
    await session.dispose();
  }
  assert.equal(gemmFlops(GPU_GEMM), 2 * 16 * 4096 ** 3);
  assert.equal(gflopsOfLoop({ samplesMs: [10], measuredS: 0.01 }, { n: 100, chain: 4 }), (4 * 2e6) / 1e7);
  const entry = { gflops: 50_000, matrixSize: GPU_GEMM.n, chain: GPU_GEMM.chain, measuredAt: 'now', loadAvg1: 0.5, timedIn: 'python' as const, othersCores: 0 };
  assert.equal(cachedPeakStands(entry, 'python', 0.5, GPU_GEMM), true);
  assert.equal(cachedPeakStands(entry, 'python', 0.5, CPU_GEMM), false, 'a GPU GEMM entry does not stand for the CPU GEMM');
  assert.equal(cachedPeakStands({ ...entry, matrixSize: CPU_GEMM.n, chain: undefined }, 'python', 0.5, GPU_GEMM), false);
});

test('a CUDA trial shares against its GPU\'s ceiling and a GPU GEMM; a GPU trial without NVML has no ceiling; a CPU trial keeps the CPU\'s', async () => {
  const dir = tempDir('infermark-gpu-peak-');
  try {
    const n = 256;
    const modelPath = writeModel(dir, 'mm.onnx', matmulModelBytes(n));
    const spec = (provider: string, key: string) => ({
      key, modelRef: modelPath, modelPath, modelSha256: `gpu-${key}`, modelSizeBytes: 0, runtime: 'torch', provider, settings: {},
      batchSize: 1, scenario: 'single-stream', inputShapes: { x: [1, n] }, intRanges: {},
    }) as unknown as TrialSpec;
    const gemms: PeakGemm[] = [];
    const measure: PeakMeasurer = async (_r, _o, gemm) => { gemms.push(gemm); return { gflops: 40_000, othersCores: 0 }; };
    const runtime = async () => ortNode;
    const gpu = gpuTheoreticalPeak('NVIDIA H200', 16896, 1980)!;
    // 256^2 MACs per item at 10^6 items/s: 131 TFLOP/s, above the CPU's ceiling and under the GPU's.
    const itemsPerS = 1e6;
    const onGpu = await withEfficiency(spec('cuda', 'a'), okResult(spec('cuda', 'a'), itemsPerS), { runtime, measure, cacheDir: dir, gpuPeak: () => gpu }) as OkTrial;
    const e = onGpu.efficiency!;
    assert.equal(e.theoreticalPeakGflops, gpu.gflops);
    assert.equal(e.theoreticalPeakDerivation, gpu.derivation);
    assert.ok(Math.abs(e.theoreticalPeakShare! - e.achievedGflops / gpu.gflops) < 1e-12);
    assert.deepEqual(gemms, [GPU_GEMM], 'the measured peak was timed on the GPU GEMM');
    assert.match(e.peakReference!, /a chain of 16 4096x4096 MatMuls/);

    const noNvml = await withEfficiency(spec('webgpu', 'b'), okResult(spec('webgpu', 'b'), itemsPerS), { runtime, measure, cacheDir: dir, gpuPeak: () => undefined }) as OkTrial;
    assert.equal(noNvml.efficiency!.theoreticalPeakGflops, undefined, 'the CPU\'s ceiling does not bound a GPU');
    assert.equal(noNvml.efficiency!.theoreticalPeakShare, undefined);
    assert.ok(!noNvml.warnings.some((w) => w.code === 'mac-count-above-peak'));
    assert.deepEqual(gemms.at(-1), CPU_GEMM, 'no GPU that NVML lists: the GEMM a CPU-sized device finishes');

    const onCpu = await withEfficiency(spec('cpu', 'c'), okResult(spec('cpu', 'c'), itemsPerS), { runtime, measure, cacheDir: dir, gpuPeak: () => gpu }) as OkTrial;
    assert.equal(onCpu.efficiency!.theoreticalPeakGflops, machinePeak()?.gflops);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
