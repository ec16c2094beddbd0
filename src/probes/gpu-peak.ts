/**
 * The theoretical FP32 peak of the GPU a GPU provider runs on, from what the
 * board declares through NVML: its CUDA cores, two FLOP per core per cycle
 * (one fused multiply-add) and its highest SM clock. A trial on a GPU is
 * measured against this ceiling, never against the CPU's.
 */
import type { NvmlDevice } from './nvml-api.js';
import { sharedNvmlSession, type NvmlSession } from './nvml-session.js';

export interface GpuPeak {
  gflops: number;
  /** How the figure was derived, term by term. */
  derivation: string;
}

/** Execution providers that run the model on a GPU (when the machine has one). */
const GPU_PROVIDERS = new Set(['cuda', 'tensorrt', 'webgpu', 'webgl']);

export function runsOnGpu(provider: string): boolean {
  return GPU_PROVIDERS.has(provider);
}

/** Pure: the peak of one GPU from its declared cores and clock; undefined when either is unknown. */
export function gpuTheoreticalPeak(name: string, cudaCores: number, maxSmClockMhz: number): GpuPeak | undefined {
  if (!(cudaCores > 0) || !(maxSmClockMhz > 0)) return undefined;
  const ghz = maxSmClockMhz / 1000;
  return {
    gflops: cudaCores * 2 * ghz,
    derivation: `${name}: ${cudaCores} CUDA cores x 2 FLOP (FMA) x ${ghz.toFixed(2)} GHz (NVML's maximum SM clock)`,
  };
}

/** One GPU's peak; undefined where its driver does not declare its cores (older than 520). */
export function deviceGpuPeak(device: NvmlDevice): GpuPeak | undefined {
  try {
    return gpuTheoreticalPeak(device.name(), device.cudaCores(), device.maxSmClockMhz());
  } catch {
    return undefined; // an older driver without nvmlDeviceGetNumGpuCores: no ceiling rather than a guessed one
  }
}

/**
 * The peak of GPU 0, where CUDA and WebGPU run by default; undefined without NVML (no NVIDIA GPU, or
 * a driver that does not declare its cores).
 */
export function machineGpuPeak(session: NvmlSession = sharedNvmlSession()): GpuPeak | undefined {
  if (!session.ok || session.deviceCount < 1) return undefined;
  try {
    return deviceGpuPeak(session.nvml.device(0));
  } catch {
    return undefined;
  }
}

