/**
 * What each trial's model should cost on its runtime here when nothing was
 * measured for them: the per-item time from the model's MACs over the GFLOP/s
 * the runtime is expected to reach (its stored GEMM peak, else the machine's
 * theoretical peak scaled by the load), and a load time from the model's size.
 * A duration estimate for a dry run or an ETA before the first trial ends.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { TrialSpec } from './trial-spec.js';
import { costKey, STARTUP_MS, type ModelCosts } from './duration-model.js';
import type { Settings } from '../results/types.js';
// The runtimes that compute nothing (their time is a setting) get no cost from MACs.
import { macsPerItem, NOT_COMPUTING } from './efficiency-figures.js';
import { machinePeak } from '../probes/cpu-peak.js';
import { machineGpuPeak, runsOnGpu } from '../probes/gpu-peak.js';
import { storedPeak, threadSettings } from '../probes/peak.js';
import { getRuntime } from '../runtimes/registry.js';

/** A whole network runs at about this share of the runtime's GEMM peak (convolutions, memory-bound layers, glue). */
export const NETWORK_SHARE_OF_GEMM = 0.5;
/** A large GEMM reaches about this share of the theoretical FP32 peak on a quiet CPU. */
export const GEMM_SHARE_OF_THEORETICAL = 0.5;
/** Starting the host a runtime runs in, before the model is read: a Python worker imports its framework, a page starts a browser. */
const HOST_START_MS: Record<string, number> = { node: 300, python: 4000, chromium: 3000 };
/** Reading and preparing (converting, compiling) the model, per MB of its file. */
const LOAD_MS_PER_MB = 15;
/**
 * The reference reads the model with onnxruntime's graph optimisations off: about 4 ms per MB, from the time
 * the sweeps recorded for it (sharedWorkMs) on the 2-core machine: 0.6-0.7 s for MobileNetV2 (14 MB) at batch 2,
 * 0.85-1.0 s for ResNet-50 (98 MB) at batch 1, a runner's start included.
 */
const REFERENCE_LOAD_MS_PER_MB = 4;

/**
 * The share of the machine a trial gets while other work runs, relative to a quiet machine: the square
 * root of cores over load, not cores over load, since many of the load's tasks wait rather than run
 * (on this 2-core machine at a load average of 15-23 the CNNs ran 3-6x slower than quiet, not 10x).
 */
export function loadShare(cores: number, loadAvg1: number): number {
  return Math.sqrt(Math.min(1, cores / Math.max(1, loadAvg1)));
}

/**
 * Pure: the share of the cores a trial's thread settings let it use (the largest of them over the cores);
 * all of them when it sets none.
 */
export function threadShare(settings: Settings, cores: number): number {
  const counts = threadSettings(settings).map(([, v]) => v).filter((v): v is number => typeof v === 'number' && v > 0);
  return counts.length > 0 ? Math.min(1, Math.max(...counts) / cores) : 1;
}

/**
 * Pure: the GFLOP/s a runtime is expected to reach on a network, from its stored GEMM peak (scaled from
 * the load it was measured under to the load now; measured with the trial's threads) or the theoretical
 * peak under the load now, over the share of the cores the trial's threads use. On a GPU (`onGpu`) the
 * CPU's load and cores do not bear on the speed: the peak (the GPU's) is taken as it is.
 */
export function expectedGflops(p: { storedPeakGflops?: number; storedLoadAvg1?: number; theoreticalGflops?: number; cores: number; loadAvg1: number; threadShare?: number; onGpu?: boolean }): number | undefined {
  if (p.onGpu) {
    if (p.storedPeakGflops && p.storedPeakGflops > 0) return p.storedPeakGflops * NETWORK_SHARE_OF_GEMM;
    return p.theoreticalGflops ? p.theoreticalGflops * GEMM_SHARE_OF_THEORETICAL * NETWORK_SHARE_OF_GEMM : undefined;
  }
  const now = loadShare(p.cores, p.loadAvg1);
  if (p.storedPeakGflops && p.storedPeakGflops > 0) {
    return p.storedPeakGflops * NETWORK_SHARE_OF_GEMM * (now / loadShare(p.cores, p.storedLoadAvg1 ?? p.cores));
  }
  if (!p.theoreticalGflops) return undefined;
  return p.theoreticalGflops * GEMM_SHARE_OF_THEORETICAL * NETWORK_SHARE_OF_GEMM * now * (p.threadShare ?? 1);
}

/**
 * Starting a runner under load: the floor measured on a quiet machine, slowed by half the load per core
 * (starting a process is partly disk and page cache, less hurt by busy cores than compute:
 * about 7 s a runner at a load average of 15-20 on 2 cores here).
 */
export function startupUnderLoadMs(cores: number, loadAvg1: number): number {
  return STARTUP_MS * Math.max(1, (0.5 * loadAvg1) / cores);
}

/**
 * Costs of the trials' models on their runtimes. As in `run` by default: `checkOutputs` adds the reference run (onnxruntime
 * on the CPU, once per model and input), `runnerBaseline` a runner with nothing loaded (once per runtime). A trial on a
 * GPU provider is costed from the GPU's peak (NVML's GPU 0), never the CPU's; without one, not at all.
 */
export async function modelCosts(trials: TrialSpec[], opts: { checkOutputs?: boolean; runnerBaseline?: boolean } = {}): Promise<ModelCosts> {
  const costs: ModelCosts = new Map();
  const cores = availableParallelism();
  const loadAvg1 = loadavg()[0];
  const theoretical = machinePeak()?.gflops;
  // Read only when a trial runs on a GPU: NVML is not opened for a CPU plan.
  let gpuTheoretical: number | undefined;
  const gpuGflops = () => (gpuTheoretical ??= machineGpuPeak()?.gflops ?? 0);
  const startupMs = startupUnderLoadMs(cores, loadAvg1);
  // The reference runs with onnxruntime's own default threads: every core.
  const cpuGflops = expectedGflops({ theoreticalGflops: theoretical, cores, loadAvg1 });
  for (const spec of trials) {
    const key = costKey(spec);
    if (costs.has(key) || NOT_COMPUTING.has(spec.runtime) || spec.scenario === 'ensemble') continue;
    try {
      const macs = await macsPerItem(spec);
      if (!macs) continue;
      const stored = await storedPeak(spec.runtime, { provider: spec.provider, settings: spec.settings });
      const onGpu = runsOnGpu(spec.provider);
      const gflops = expectedGflops({
        storedPeakGflops: stored?.gflops, storedLoadAvg1: stored?.loadAvg1, theoreticalGflops: onGpu ? gpuGflops() : theoretical,
        cores, loadAvg1, threadShare: threadShare(spec.settings, cores), onGpu,
      });
      if (!gflops) continue;
      const { host } = await getRuntime(spec.runtime);
      const hostStartMs = HOST_START_MS[host] ?? 0;
      const readMs = (spec.modelSizeBytes / 1e6) * LOAD_MS_PER_MB;
      costs.set(key, {
        perItemMs: (2 * macs) / (gflops * 1e6),
        loadMs: hostStartMs + readMs,
        hostStartMs,
        host,
        startupMs,
        ...(opts.checkOutputs !== false ? { reference: { loadMs: HOST_START_MS.node + (spec.modelSizeBytes / 1e6) * REFERENCE_LOAD_MS_PER_MB, hostStartMs: HOST_START_MS.node, perItemMs: cpuGflops ? (2 * macs) / (cpuGflops * 1e6) : 0 } } : {}),
        ...(opts.runnerBaseline !== false ? { baselineMs: startupMs + hostStartMs } : {}),
      });
    } catch {
      // A model that cannot be counted keeps the stopping rule's bounds.
    }
  }
  return costs;
}
