/**
 * NVML through koffi: libnvidia-ml.so.1 loaded from Node with no native
 * build step. Only the functions infermark needs are bound. Loading fails
 * cleanly (an Error with the reason) where there is no NVIDIA driver.
 */
import koffi, { type LibraryHandle } from 'koffi';
import {
  NVML_ERROR_FUNCTION_NOT_FOUND, NVML_ERROR_INSUFFICIENT_SIZE, NVML_SUCCESS, NvmlError,
  type NvmlDevice, type NvmlLike, type NvmlProcess,
} from './nvml-api.js';

const NVML_CLOCK_SM = 1;
const NVML_TEMPERATURE_GPU = 0;
/** NVML_VALUE_NOT_AVAILABLE for unsigned long long fields. */
const VALUE_NOT_AVAILABLE = 0xffffffffffffffffn;
/** nvmlProcessInfo_v1_t is {pid, usedGpuMemory}; v2 and v3 add gpuInstanceId and computeInstanceId. */
const PROCESS_INFO_V1_BYTES = 16;
const PROCESS_INFO_V2_BYTES = 24;
/** Room left after the array in case a driver writes a larger struct than we expect. */
const PROCESS_BUFFER_SLACK_BYTES = 64;

type Fn = (...args: unknown[]) => number;

let typesDeclared = false;

function declareTypes(): void {
  // koffi type names are global to the process; declare them once.
  if (typesDeclared) return;
  koffi.pointer('nvmlDevice_t', koffi.opaque());
  koffi.struct('nvmlUtilization_t', { gpu: 'unsigned int', memory: 'unsigned int' });
  koffi.struct('nvmlMemory_t', { total: 'unsigned long long', free: 'unsigned long long', used: 'unsigned long long' });
  typesDeclared = true;
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.subarray(0, end < 0 ? buf.length : end).toString('utf8');
}

function toNumber(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : Number(v);
}

class KoffiNvml implements NvmlLike {
  private readonly fns = new Map<string, Fn | null>();
  private readonly errorString: ((code: number) => string) | undefined;

  constructor(private readonly lib: LibraryHandle) {
    try {
      const f = lib.func('const char *nvmlErrorString(int result)');
      this.errorString = (code) => String(f(code));
    } catch {
      this.errorString = undefined;
    }
  }

  /** Binds a function on first use; the first prototype whose symbol exists wins. */
  private fn(key: string, prototypes: string[]): Fn {
    let f = this.fns.get(key);
    if (f === undefined) {
      f = null;
      for (const p of prototypes) {
        try {
          f = this.lib.func(p) as Fn;
          break;
        } catch {
          // Symbol absent in this driver; try the next version.
        }
      }
      this.fns.set(key, f);
    }
    if (!f) throw new NvmlError(key, NVML_ERROR_FUNCTION_NOT_FOUND, 'this driver does not have the function');
    return f;
  }

  check(name: string, code: number): void {
    if (code !== NVML_SUCCESS) throw new NvmlError(name, code, this.errorString?.(code) ?? 'unknown error');
  }

  call(key: string, prototypes: string[], ...args: unknown[]): void {
    this.check(key, this.fn(key, prototypes)(...args));
  }

  init(): void {
    this.call('nvmlInit_v2', ['int nvmlInit_v2()']);
  }

  shutdown(): void {
    this.call('nvmlShutdown', ['int nvmlShutdown()']);
  }

  driverVersion(): string {
    const buf = Buffer.alloc(96);
    this.call('nvmlSystemGetDriverVersion', ['int nvmlSystemGetDriverVersion(_Out_ uint8_t *version, unsigned int length)'], buf, buf.length);
    return cString(buf);
  }

  deviceCount(): number {
    const out = [0];
    this.call('nvmlDeviceGetCount_v2', ['int nvmlDeviceGetCount_v2(_Out_ unsigned int *count)'], out);
    return toNumber(out[0]);
  }

  device(index: number): NvmlDevice {
    const out: unknown[] = [null];
    this.call('nvmlDeviceGetHandleByIndex_v2', ['int nvmlDeviceGetHandleByIndex_v2(unsigned int index, _Out_ nvmlDevice_t *device)'], index, out);
    return new KoffiDevice(this, index, out[0]);
  }
}

class KoffiDevice implements NvmlDevice {
  constructor(private readonly nvml: KoffiNvml, readonly index: number, private readonly handle: unknown) {}

  private outScalar(key: string, prototype: string, ...before: unknown[]): unknown {
    const out: unknown[] = [0];
    this.nvml.call(key, [prototype], this.handle, ...before, out);
    return out[0];
  }

  name(): string {
    const buf = Buffer.alloc(96);
    this.nvml.call('nvmlDeviceGetName', ['int nvmlDeviceGetName(nvmlDevice_t device, _Out_ uint8_t *name, unsigned int length)'], this.handle, buf, buf.length);
    return cString(buf);
  }

  totalEnergyMj(): number {
    return toNumber(this.outScalar('nvmlDeviceGetTotalEnergyConsumption', 'int nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, _Out_ unsigned long long *energy)'));
  }

  powerMw(): number {
    return toNumber(this.outScalar('nvmlDeviceGetPowerUsage', 'int nvmlDeviceGetPowerUsage(nvmlDevice_t device, _Out_ unsigned int *power)'));
  }

  utilization(): { gpuPercent: number; memoryPercent: number } {
    const out: { gpu?: number; memory?: number }[] = [{}];
    this.nvml.call('nvmlDeviceGetUtilizationRates', ['int nvmlDeviceGetUtilizationRates(nvmlDevice_t device, _Out_ nvmlUtilization_t *utilization)'], this.handle, out);
    return { gpuPercent: toNumber(out[0].gpu), memoryPercent: toNumber(out[0].memory) };
  }

  memoryInfo(): { totalBytes: number; usedBytes: number } {
    const out: { total?: number | bigint; used?: number | bigint }[] = [{}];
    this.nvml.call('nvmlDeviceGetMemoryInfo', ['int nvmlDeviceGetMemoryInfo(nvmlDevice_t device, _Out_ nvmlMemory_t *memory)'], this.handle, out);
    return { totalBytes: toNumber(out[0].total), usedBytes: toNumber(out[0].used) };
  }

  smClockMhz(): number {
    return toNumber(this.outScalar('nvmlDeviceGetClockInfo', 'int nvmlDeviceGetClockInfo(nvmlDevice_t device, int type, _Out_ unsigned int *clock)', NVML_CLOCK_SM));
  }

  maxSmClockMhz(): number {
    return toNumber(this.outScalar('nvmlDeviceGetMaxClockInfo', 'int nvmlDeviceGetMaxClockInfo(nvmlDevice_t device, int type, _Out_ unsigned int *clock)', NVML_CLOCK_SM));
  }

  cudaCores(): number {
    return toNumber(this.outScalar('nvmlDeviceGetNumGpuCores', 'int nvmlDeviceGetNumGpuCores(nvmlDevice_t device, _Out_ unsigned int *numCores)'));
  }

  temperatureC(): number {
    return toNumber(this.outScalar('nvmlDeviceGetTemperature', 'int nvmlDeviceGetTemperature(nvmlDevice_t device, int sensorType, _Out_ unsigned int *temp)', NVML_TEMPERATURE_GPU));
  }

  throttleReasons(): bigint {
    const out: unknown[] = [0];
    // Renamed "clocks event reasons" in newer drivers; same signature and bits.
    this.nvml.call('nvmlDeviceGetCurrentClocksThrottleReasons', [
      'int nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t device, _Out_ unsigned long long *reasons)',
      'int nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t device, _Out_ unsigned long long *reasons)',
    ], this.handle, out);
    return BigInt(out[0] as number | bigint);
  }

  computeProcesses(): NvmlProcess[] {
    // The struct grew between driver versions: pick the symbol, then its stride.
    const variants: [string, number][] = [
      ['nvmlDeviceGetComputeRunningProcesses_v3', PROCESS_INFO_V2_BYTES],
      ['nvmlDeviceGetComputeRunningProcesses_v2', PROCESS_INFO_V2_BYTES],
      ['nvmlDeviceGetComputeRunningProcesses', PROCESS_INFO_V1_BYTES],
    ];
    let lastError: unknown;
    for (const [symbol, stride] of variants) {
      const proto = `int ${symbol}(nvmlDevice_t device, _Inout_ unsigned int *count, _Out_ uint8_t *infos)`;
      try {
        return this.readProcesses(symbol, proto, stride);
      } catch (err) {
        lastError = err;
        if (!(err instanceof NvmlError && err.code === NVML_ERROR_FUNCTION_NOT_FOUND)) throw err;
      }
    }
    throw lastError;
  }

  private readProcesses(symbol: string, proto: string, stride: number): NvmlProcess[] {
    let capacity = 16;
    for (let attempt = 0; attempt < 3; attempt++) {
      const count = [capacity];
      const buf = Buffer.alloc(capacity * stride + PROCESS_BUFFER_SLACK_BYTES);
      try {
        this.nvml.call(symbol, [proto], this.handle, count, buf);
      } catch (err) {
        if (err instanceof NvmlError && err.code === NVML_ERROR_INSUFFICIENT_SIZE) {
          capacity = Math.max(capacity * 2, toNumber(count[0]) + 4);
          continue;
        }
        throw err;
      }
      const n = Math.min(toNumber(count[0]), capacity);
      const out: NvmlProcess[] = [];
      for (let i = 0; i < n; i++) {
        const pid = buf.readUInt32LE(i * stride);
        const mem = buf.readBigUInt64LE(i * stride + 8);
        out.push(mem === VALUE_NOT_AVAILABLE ? { pid } : { pid, usedGpuMemoryBytes: Number(mem) });
      }
      return out;
    }
    throw new NvmlError(symbol, NVML_ERROR_INSUFFICIENT_SIZE, 'the process list kept growing');
  }
}

/** Loads libnvidia-ml.so.1 (nvml.dll on Windows); throws an Error that says why not. */
export function loadNvml(path = process.platform === 'win32' ? 'nvml.dll' : 'libnvidia-ml.so.1'): NvmlLike {
  declareTypes();
  let lib: LibraryHandle;
  try {
    lib = koffi.load(path);
  } catch (err) {
    throw new Error(`cannot load ${path} (${(err as Error).message.split('\n')[0]}): no NVIDIA driver is installed, or its library is not on the loader path`);
  }
  return new KoffiNvml(lib);
}
