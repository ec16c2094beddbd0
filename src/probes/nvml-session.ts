/**
 * One NVML session per process: loading the library and nvmlInit can take a
 * noticeable time, so it is done once and shared by every trial's probe.
 */
import { loadNvml } from './nvml-koffi.js';
import type { NvmlLike } from './nvml-api.js';

export type NvmlSession = { ok: true; nvml: NvmlLike; deviceCount: number } | { ok: false; reason: string; libraryMissing: boolean };

let shared: NvmlSession | undefined;

/** Initialises a given NVML (or the real one) and counts its GPUs; never throws. */
export function openNvml(nvml?: NvmlLike): NvmlSession {
  let lib: NvmlLike;
  try {
    lib = nvml ?? loadNvml();
  } catch (err) {
    return { ok: false, libraryMissing: true, reason: (err as Error).message };
  }
  try {
    lib.init();
    const deviceCount = lib.deviceCount();
    if (deviceCount === 0) return { ok: false, libraryMissing: false, reason: 'NVML found no NVIDIA GPU' };
    return { ok: true, nvml: lib, deviceCount };
  } catch (err) {
    return { ok: false, libraryMissing: false, reason: `NVML could not start: ${(err as Error).message}; check that the NVIDIA driver is loaded (nvidia-smi should list the GPU)` };
  }
}

/** The process-wide session with the real library. */
export function sharedNvmlSession(): NvmlSession {
  shared ??= openNvml();
  return shared;
}
