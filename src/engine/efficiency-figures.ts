/**
 * Efficiency of an ok trial: MACs per item of the model at the trial's
 * shapes, the GFLOP/s achieved at the counted throughput, and its share of
 * the theoretical peak of what it ran on (the CPU, or a GPU provider's GPU)
 * and of the peak the same runtime, provider and thread count reach on a
 * large matrix product here (in a runner).
 * Runs in the parent after the trial, so it never disturbs a measurement.
 */
import { readFile } from 'node:fs/promises';
import type { BenchWarning, OkTrial, TrialResult } from '../results/types.js';
import type { TrialSpec } from './trial-spec.js';
import { decodeModel } from '../onnx/read.js';
import { toGraphIR } from '../onnx/ir.js';
import { countFlops } from '../onnx/flops.js';
import { efficiency, type Peaks } from '../onnx/efficiency.js';
import { machinePeak } from '../probes/cpu-peak.js';
import { machineGpuPeak, runsOnGpu, type GpuPeak } from '../probes/gpu-peak.js';
import { measurePeakInRunner } from '../launchers/peak-runner.js';
import { contended, CPU_GEMM, GPU_GEMM, measurePeakGflops, peakReferenceText, type PeakMeasurer } from '../probes/peak.js';
import { getRuntime } from '../runtimes/registry.js';
import type { Runtime } from '../runtimes/runtime.js';
import { findScenario } from '../scenarios/registry.js';

/** The fake runtime computes nothing: a FLOP rate for it would be fiction. */
export const NOT_COMPUTING = new Set(['fake']);

const macsCache = new Map<string, Promise<number | undefined>>();

/** MACs per item of the trial's model at its shapes (conv/matmul/gemm work), counted once per model and shapes. */
export async function macsPerItem(spec: TrialSpec): Promise<number | undefined> {
  const id = JSON.stringify([spec.modelSha256, spec.inputShapes]);
  let p = macsCache.get(id);
  if (!p) {
    p = (async () => {
      const model = decodeModel(await readFile(spec.modelPath), spec.modelRef);
      const report = countFlops(toGraphIR(model, spec.modelPath), { batch: spec.batchSize, shapes: spec.inputShapes });
      return report.macsPerItem > 0 ? report.macsPerItem : undefined;
    })().catch(() => undefined);
    macsCache.set(id, p);
  }
  return p;
}

/** A measured peak timed (twice) beside other work: it may read low, and the share against it high. */
function contendedPeakWarnings(peaks: Peaks): BenchWarning[] {
  if (!contended({ othersCores: peaks.measuredOthersCores }) || peaks.measuredGflops === undefined) return [];
  return [{
    code: 'measured-peak-contended',
    message: `the measured GEMM peak (${peaks.measuredGflops.toFixed(1)} GFLOP/s) was timed, twice, while other processes kept ${peaks.measuredOthersCores!.toFixed(2)} cores busy: it may read low, and its share high`,
    remedy: 'read the share of the theoretical peak, or measure again when nothing else runs',
  }];
}

/** What the peak comes from; tests put a runtime table, a measurer and a cache folder of their own here. */
export interface PeakSource {
  runtime?: (name: string) => Promise<Runtime>;
  measure?: PeakMeasurer;
  cacheDir?: string;
  /** The GPU's theoretical peak (default: GPU 0's, from NVML). */
  gpuPeak?: () => GpuPeak | undefined;
}

export async function withEfficiency(spec: TrialSpec, result: TrialResult, source: PeakSource = {}): Promise<TrialResult> {
  if (result.status !== 'ok' || NOT_COMPUTING.has(spec.runtime) || !findScenario(spec.scenario)?.checks.efficiency) return result;
  const macs = await macsPerItem(spec);
  if (macs === undefined) return result;
  const peaks: Peaks = {};
  // A GPU provider's ceiling is its GPU's (none where NVML cannot tell it: the CPU's does not bound a
  // GPU), and its measured peak is timed on the GEMM that keeps a GPU busy.
  const gpu = runsOnGpu(spec.provider) ? (source.gpuPeak ?? machineGpuPeak)() : undefined;
  const ceiling = runsOnGpu(spec.provider) ? gpu : machinePeak();
  if (ceiling) { peaks.theoreticalGflops = ceiling.gflops; peaks.theoreticalDerivation = ceiling.derivation; }
  try {
    const runtime = await (source.runtime ?? getRuntime)(spec.runtime);
    // The trial's own runtime in a runner of its own, with the trial's settings (its thread count), never in this
    // process; the runtime times the GEMM in its own host (its Python worker, its page), as it times a trial.
    const m = await measurePeakGflops(runtime, { provider: spec.provider, settings: spec.settings }, source.cacheDir, source.measure ?? measurePeakInRunner, gpu ? GPU_GEMM : CPU_GEMM);
    peaks.measuredGflops = m.gflops;
    peaks.measuredLoadAvg1 = m.loadAvg1;
    if (m.othersCores !== undefined) peaks.measuredOthersCores = m.othersCores;
    peaks.measuredReference = peakReferenceText(m);
  } catch {
    // No measured peak on this runtime: the achieved rate and the theoretical share still stand.
  }
  const ok = result as OkTrial;
  if (!(ok.throughputPerS > 0)) return result;
  const e = efficiency(macs, ok.throughputPerS, peaks);
  return { ...ok, efficiency: e.figures, warnings: [...ok.warnings, ...e.warnings, ...contendedPeakWarnings(peaks)] };
}
