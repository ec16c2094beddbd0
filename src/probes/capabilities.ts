/**
 * What this machine can measure, and for each thing it cannot, why and what
 * to do. Used by `infermark doctor`; every sensor is injectable for tests.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POWERCAP_ROOT, discoverRaplZones, nodePowercapIo, type PowercapIo } from './rapl-zones.js';
import { isNotSupported, type NvmlLike } from './nvml-api.js';
import { openNvml, sharedNvmlSession } from './nvml-session.js';
import { deviceGpuPeak, type GpuPeak } from './gpu-peak.js';
import { nvidiaSmiAvailable } from './nvidia-smi.js';
import { DEFAULT_WATTS_PER_CORE, ESTIMATE_MODEL_NAME } from './estimate.js';

export interface Capability {
  available: boolean;
  /** What was found, when available. */
  detail?: string;
  /** Why not, and what to do, when unavailable. */
  reason?: string;
}

export interface GpuCapability {
  index: number;
  name: string;
  memoryTotalBytes?: number;
  /** nvmlDeviceGetTotalEnergyConsumption works (Volta and newer). */
  energyCounter: boolean;
  /** Power readings work, the fallback when there is no energy counter. */
  powerReadings: boolean;
  /** Why a reading does not work, when one does not. */
  notes?: string[];
  /** Its theoretical FP32 peak, from the cores and clock it declares. */
  peak?: GpuPeak;
}

export interface Capabilities {
  /** Memory and CPU of the runner's process tree, from /proc. */
  processTree: Capability;
  cpuEnergy: Capability & { zones?: { id: string; name: string; maxEnergyRangeUj?: number }[] };
  dramEnergy: Capability;
  nvml: Capability & { driverVersion?: string };
  gpus: GpuCapability[];
  /** nvidia-smi power sampling, used only where the NVML library cannot be loaded. */
  nvidiaSmiFallback: Capability;
  /** The CPU energy model used by --energy estimate where no sensor exists. */
  estimate: Capability & { model: string; wattsPerCore: number };
}

export interface DetectOptions {
  powercapRoot?: string;
  powercapIo?: PowercapIo;
  /** An NVML to use instead of loading libnvidia-ml.so.1 (a fake in tests). */
  nvml?: NvmlLike;
  procRoot?: string;
  nvidiaSmiBin?: string;
}

function detectGpus(nvml: NvmlLike, count: number): GpuCapability[] {
  const gpus: GpuCapability[] = [];
  for (let i = 0; i < count; i++) {
    const notes: string[] = [];
    const gpu: GpuCapability = { index: i, name: `GPU ${i}`, energyCounter: false, powerReadings: false };
    try {
      const d = nvml.device(i);
      try { gpu.name = d.name(); } catch (err) { notes.push(`name: ${(err as Error).message}`); }
      try { gpu.memoryTotalBytes = d.memoryInfo().totalBytes; } catch (err) { notes.push(`memory: ${(err as Error).message}`); }
      const peak = deviceGpuPeak(d);
      if (peak) gpu.peak = peak;
      else notes.push('theoretical FP32 peak unknown: the driver does not declare its CUDA cores (nvmlDeviceGetNumGpuCores needs driver 520 or newer)');
      try {
        d.totalEnergyMj();
        gpu.energyCounter = true;
      } catch (err) {
        notes.push(isNotSupported(err)
          ? 'no total-energy counter (needs Volta or newer): energy will integrate power samples (nvml-power)'
          : `energy counter: ${(err as Error).message}`);
      }
      try {
        d.powerMw();
        gpu.powerReadings = true;
      } catch (err) {
        notes.push(`power: ${(err as Error).message}${isNotSupported(err) ? ' (this board has no power sensor)' : ''}`);
      }
    } catch (err) {
      notes.push(`cannot open: ${(err as Error).message}`);
    }
    if (notes.length > 0) gpu.notes = notes;
    gpus.push(gpu);
  }
  return gpus;
}

export async function detectCapabilities(opts: DetectOptions = {}): Promise<Capabilities> {
  const procRoot = opts.procRoot ?? '/proc';
  const processTree: Capability = existsSync(join(procRoot, 'self', 'stat'))
    ? { available: true, detail: `${procRoot}/<pid>/stat, sampled by the parent` }
    : { available: false, reason: `no ${procRoot}: memory and CPU figures need Linux's /proc; results will have no memory or cpu figures` };

  const root = opts.powercapRoot ?? DEFAULT_POWERCAP_ROOT;
  const rapl = discoverRaplZones(root, opts.powercapIo ?? nodePowercapIo);
  let cpuEnergy: Capabilities['cpuEnergy'];
  let dramEnergy: Capability;
  if (rapl.ok) {
    const cpuZones = rapl.zones.filter((z) => z.domain === 'cpu');
    const dramZones = rapl.zones.filter((z) => z.domain === 'dram');
    const zones = rapl.zones.map((z) => ({ id: z.id, name: z.name, ...(z.maxEnergyRangeUj !== undefined ? { maxEnergyRangeUj: z.maxEnergyRangeUj } : {}) }));
    cpuEnergy = cpuZones.length > 0
      ? { available: true, detail: `RAPL: ${cpuZones.map((z) => `${z.name} (${z.id})`).join(', ')}`, zones }
      : { available: false, reason: 'RAPL has a dram zone but no package zone; CPU energy is not measured', zones };
    dramEnergy = dramZones.length > 0
      ? { available: true, detail: `RAPL: ${dramZones.map((z) => `${z.name} (${z.id})`).join(', ')}` }
      : { available: false, reason: 'this CPU exposes no RAPL dram zone (common on desktop CPUs and AMD parts); DRAM energy is not measured' };
  } else {
    cpuEnergy = { available: false, reason: rapl.reason };
    dramEnergy = { available: false, reason: rapl.reason };
  }

  const session = opts.nvml ? openNvml(opts.nvml) : sharedNvmlSession();
  let nvml: Capabilities['nvml'];
  let gpus: GpuCapability[] = [];
  if (session.ok) {
    let driverVersion: string | undefined;
    try { driverVersion = session.nvml.driverVersion(); } catch { /* reported as unknown */ }
    gpus = detectGpus(session.nvml, session.deviceCount);
    nvml = { available: true, detail: `${session.deviceCount} GPU(s), driver ${driverVersion ?? 'unknown'}`, ...(driverVersion ? { driverVersion } : {}) };
  } else {
    nvml = { available: false, reason: session.reason };
  }
  let nvidiaSmiFallback: Capability;
  if (session.ok) nvidiaSmiFallback = { available: false, reason: 'not needed: NVML works' };
  else if (!session.libraryMissing) nvidiaSmiFallback = { available: false, reason: 'not used: the NVML library loads but finds no usable GPU' };
  else if (nvidiaSmiAvailable(opts.nvidiaSmiBin)) nvidiaSmiFallback = { available: true, detail: 'nvidia-smi power sampling (source nvidia-smi)' };
  else nvidiaSmiFallback = { available: false, reason: 'no nvidia-smi on PATH either: install the NVIDIA driver to measure GPU energy' };

  const estimate: Capabilities['estimate'] = {
    available: true,
    model: ESTIMATE_MODEL_NAME,
    wattsPerCore: DEFAULT_WATTS_PER_CORE,
    detail: `--energy estimate: CPU seconds x ${DEFAULT_WATTS_PER_CORE} W per core, labelled 'estimate', where no CPU sensor exists`,
  };
  return { processTree, cpuEnergy, dramEnergy, nvml, gpus, nvidiaSmiFallback, estimate };
}
