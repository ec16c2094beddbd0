/**
 * What infermark needs from NVML, as a small typed interface. The real
 * implementation (nvml-koffi.ts) calls libnvidia-ml.so.1 through koffi; tests
 * inject a fake. Every method throws an NvmlError when NVML returns an error.
 */

export const NVML_SUCCESS = 0;
export const NVML_ERROR_NOT_SUPPORTED = 3;
export const NVML_ERROR_NO_PERMISSION = 4;
export const NVML_ERROR_INSUFFICIENT_SIZE = 7;
export const NVML_ERROR_GPU_IS_LOST = 15;
export const NVML_ERROR_FUNCTION_NOT_FOUND = 13;

export class NvmlError extends Error {
  readonly code: number;
  readonly fn: string;
  constructor(fn: string, code: number, description: string) {
    super(`${fn} failed: ${description} (NVML error ${code})`);
    this.name = 'NvmlError';
    this.fn = fn;
    this.code = code;
  }
}

export function isNotSupported(err: unknown): boolean {
  return err instanceof NvmlError && (err.code === NVML_ERROR_NOT_SUPPORTED || err.code === NVML_ERROR_FUNCTION_NOT_FOUND);
}

export interface NvmlProcess {
  pid: number;
  /** Undefined where the driver cannot tell (e.g. on Windows WDDM or without permission). */
  usedGpuMemoryBytes?: number;
}

export interface NvmlDevice {
  readonly index: number;
  name(): string;
  /** Millijoules since the driver loaded (Volta and newer). */
  totalEnergyMj(): number;
  /** Milliwatts, a recent average on most boards. */
  powerMw(): number;
  utilization(): { gpuPercent: number; memoryPercent: number };
  memoryInfo(): { totalBytes: number; usedBytes: number };
  smClockMhz(): number;
  /** The highest SM clock the board allows, MHz (its boost clock). */
  maxSmClockMhz(): number;
  /** CUDA cores (FP32 lanes) of the whole GPU: nvmlDeviceGetNumGpuCores, drivers 520 and newer. */
  cudaCores(): number;
  temperatureC(): number;
  /** Bitmask of nvmlClocksThrottleReason* (a.k.a. clocks event reasons). */
  throttleReasons(): bigint;
  computeProcesses(): NvmlProcess[];
}

export interface NvmlLike {
  /** nvmlInit_v2; may be called again after shutdown. */
  init(): void;
  shutdown(): void;
  driverVersion(): string;
  deviceCount(): number;
  device(index: number): NvmlDevice;
}

/** Throttle reasons that mean the GPU is not being held back: idle and application clocks. */
const BENIGN_THROTTLE_MASK = 0x1n | 0x2n;

const THROTTLE_NAMES: [bigint, string][] = [
  [0x4n, 'software power cap'],
  [0x8n, 'hardware slowdown'],
  [0x10n, 'sync boost'],
  [0x20n, 'software thermal slowdown'],
  [0x40n, 'hardware thermal slowdown'],
  [0x80n, 'hardware power brake'],
  [0x100n, 'display clock setting'],
];

/** Names of the throttle reasons in a mask that slow the GPU down; empty when none. */
export function harmfulThrottleReasons(mask: bigint): string[] {
  const harmful = mask & ~BENIGN_THROTTLE_MASK;
  if (harmful === 0n) return [];
  const names = THROTTLE_NAMES.filter(([bit]) => (harmful & bit) !== 0n).map(([, n]) => n);
  return names.length > 0 ? names : [`reason bits 0x${harmful.toString(16)}`];
}
