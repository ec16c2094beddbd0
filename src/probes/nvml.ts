/**
 * The 'nvml' probe: NVIDIA GPU energy, power, utilisation, memory, SM clock,
 * temperature and throttling over the measured window, read in the parent
 * through NVML. Energy comes from the total-energy counter where the GPU has
 * one (source nvml-energy), otherwise from power samples integrated by the
 * trapezoid rule (source nvml-power).
 */
import { performance } from 'node:perf_hooks';
import type { BenchWarning, EnergyReading, EnergySource, ProbeFailure, TimeSeries } from '../results/types.js';
import { ProbeUpkeep } from './upkeep.js';
import type { Probe, ProbeOutput, ProbeTarget } from './probe.js';
import { dynamicEnergyJ, idlePowerW, type IdleBaseline } from './baseline.js';
import { windowShortWarning } from './energy-warnings.js';
import { NVML_ERROR_GPU_IS_LOST, NvmlError, harmfulThrottleReasons, isNotSupported, type NvmlDevice, type NvmlLike } from './nvml-api.js';
import { listProcessTree } from './proc-stat.js';
import { trapezoidEnergyJ } from './trapezoid.js';

/** NVML's energy and power values update about every 100 ms: a shorter window is mostly noise. */
export const NVML_MIN_WINDOW_MS = 1000;
const MIN_POLL_MS = 20;
const MAX_POLL_MS = 100;

export interface NvmlProbeOptions {
  /** An initialised NVML (the shared session, or a fake in tests). */
  nvml: NvmlLike;
  deviceCount: number;
  sampleIntervalMs?: number;
  baseline?: IdleBaseline;
  /** Root of /proc, to find the runner's processes among the GPU's. */
  procRoot?: string;
}

interface DeviceState {
  device: NvmlDevice;
  lost?: string;
  energyStartMj?: number;
  energyEndMj?: number;
  energyFailure?: string;
  power: TimeSeries;
  series: TimeSeries[];
  throttled: Set<string>;
  usedByRunner: boolean;
  runnerMemoryBytes: number;
}

function series(name: string, unit: string): TimeSeries {
  return { name, unit, tMs: [], values: [] };
}

export class NvmlProbe implements Probe {
  readonly name = 'nvml';
  readonly minWindowMs = NVML_MIN_WINDOW_MS;
  private readonly nvml: NvmlLike;
  private readonly deviceCount: number;
  private readonly pollMs: number;
  private readonly baseline: IdleBaseline | undefined;
  private readonly procRoot: string;
  private pid: number | undefined;
  private devices: DeviceState[] = [];
  private startMs: number | undefined;
  private endMs: number | undefined;
  private setupFailure: string | undefined;
  private readonly failures: ProbeFailure[] = [];
  private readonly upkeep = new ProbeUpkeep((m) => this.failures.push({ probe: this.name, message: m }));
  /** One failure per device and function, not one per sample. */
  private readonly reported = new Set<string>();

  constructor(opts: NvmlProbeOptions) {
    this.nvml = opts.nvml;
    this.deviceCount = opts.deviceCount;
    this.pollMs = Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, opts.sampleIntervalMs ?? MAX_POLL_MS));
    this.baseline = opts.baseline;
    this.procRoot = opts.procRoot ?? '/proc';
  }

  attach(target?: ProbeTarget): void {
    this.upkeep.timed(() => {
      this.pid = target?.pid;
      this.devices = [];
      this.setupFailure = undefined;
      for (let i = 0; i < this.deviceCount; i++) {
        try {
          const device = this.nvml.device(i);
          const suffix = this.deviceCount > 1 ? `:${i}` : '';
          this.devices.push({
            device,
            power: series(`gpuPowerW${suffix}`, 'W'),
            series: [
              series(`gpuUtilizationPercent${suffix}`, '%'),
              series(`gpuMemoryUsedBytes${suffix}`, 'bytes'),
              series(`gpuSmClockMHz${suffix}`, 'MHz'),
              series(`gpuTemperatureC${suffix}`, 'C'),
            ],
            throttled: new Set(),
            usedByRunner: false,
            runnerMemoryBytes: 0,
          });
        } catch (err) {
          this.fail(`gpu${i}`, 'handle', `GPU ${i} could not be opened: ${(err as Error).message}`);
        }
      }
      if (this.devices.length === 0) this.setupFailure = 'no GPU could be opened through NVML';
    });
  }

  loaded(): void {
    this.upkeep.timed(() => this.attributeMemory());
  }

  windowStart(): void {
    this.upkeep.timed(() => {
      if (this.devices.length === 0) this.attach(this.pid === undefined ? undefined : { pid: this.pid });
      this.startMs = performance.now();
      for (const d of this.devices) {
        try {
          d.energyStartMj = d.device.totalEnergyMj();
        } catch (err) {
          this.noteEnergyFailure(d, err);
        }
      }
      this.sampleAll(this.startMs);
      this.upkeep.every(this.pollMs, () => this.sampleAll(performance.now()));
    });
  }

  windowEnd(): void {
    this.upkeep.timed(() => {
      if (this.startMs === undefined || this.endMs !== undefined) return;
      this.upkeep.stop();
      this.endMs = performance.now();
      for (const d of this.devices) {
        if (d.lost || d.energyStartMj === undefined) continue;
        try {
          d.energyEndMj = d.device.totalEnergyMj();
        } catch (err) {
          this.noteEnergyFailure(d, err);
        }
      }
      this.sampleAll(this.endMs);
      this.attributeMemory();
    });
  }

  async finish(): Promise<ProbeOutput> {
    this.upkeep.stop();
    const out: ProbeOutput = { overheadMs: this.upkeep.overheadMs };
    if (this.setupFailure) {
      out.energyUnavailable = { nvml: this.setupFailure };
      if (this.failures.length > 0) out.failures = [...this.failures];
      return out;
    }
    if (this.startMs === undefined || this.endMs === undefined) {
      out.energyUnavailable = { nvml: 'the measured window never closed' };
      return out;
    }
    const windowMs = this.endMs - this.startMs;
    // Energy of the GPUs the runner used; of all of them where it used none we could see.
    const used = this.devices.filter((d) => d.usedByRunner);
    const counted = used.length > 0 ? used : this.devices;
    const bySource = new Map<EnergySource, number>();
    const unavailable: Record<string, string> = {};
    for (const d of counted) {
      const e = this.deviceEnergy(d, windowMs);
      if ('reason' in e) unavailable[`nvml:gpu${d.device.index}`] = e.reason;
      else bySource.set(e.source, (bySource.get(e.source) ?? 0) + e.energyJ);
    }
    const readings: EnergyReading[] = [];
    for (const [source, energyJ] of bySource) {
      const reading: EnergyReading = { source, domain: 'gpu', energyJ };
      const idleW = idlePowerW(this.baseline, 'gpu', source);
      if (idleW !== undefined) reading.dynamicEnergyJ = dynamicEnergyJ(energyJ, idleW, windowMs / 1000);
      readings.push(reading);
    }
    if (readings.length > 0) out.energy = readings;
    if (Object.keys(unavailable).length > 0) out.energyUnavailable = unavailable;
    const runnerGpuBytes = this.devices.reduce((a, d) => a + d.runnerMemoryBytes, 0);
    if (runnerGpuBytes > 0) out.memory = { gpuMemoryBytes: runnerGpuBytes };
    out.series = this.devices.flatMap((d) => [d.power, ...d.series]).filter((s) => s.values.length > 0);
    const warnings: BenchWarning[] = [];
    if (windowMs < this.minWindowMs) warnings.push(windowShortWarning('NVML', windowMs, this.minWindowMs));
    for (const d of this.devices) {
      if (d.throttled.size === 0) continue;
      warnings.push({
        code: 'gpu-throttled',
        message: `GPU ${d.device.index} slowed its clocks during the window (${[...d.throttled].join(', ')}): latency and energy reflect a throttled GPU`,
        remedy: 'let the GPU cool down between trials, check its cooling and power limit (nvidia-smi -q -d PERFORMANCE), or lower the load',
      });
    }
    if (warnings.length > 0) out.warnings = warnings;
    if (this.failures.length > 0) out.failures = [...this.failures];
    return out;
  }

  private deviceEnergy(d: DeviceState, windowMs: number): { source: EnergySource; energyJ: number } | { reason: string } {
    if (d.energyStartMj !== undefined && d.energyEndMj !== undefined) {
      if (d.energyEndMj >= d.energyStartMj) return { source: 'nvml-energy', energyJ: (d.energyEndMj - d.energyStartMj) / 1000 };
      this.fail(`gpu${d.device.index}`, 'energy-backwards', `GPU ${d.device.index}: the total-energy counter went backwards (${d.energyStartMj} -> ${d.energyEndMj} mJ); using power samples instead`);
    }
    if (d.lost) return { reason: d.lost };
    if (d.power.values.length >= 2) {
      return { source: 'nvml-power', energyJ: trapezoidEnergyJ(d.power.tMs, d.power.values, { startMs: 0, endMs: windowMs }) };
    }
    return { reason: d.energyFailure ?? 'too few power samples in the window' };
  }

  private noteEnergyFailure(d: DeviceState, err: unknown): void {
    d.energyStartMj = undefined;
    d.energyEndMj = undefined;
    if (isNotSupported(err)) {
      d.energyFailure = 'no total-energy counter on this GPU (it needs Volta or newer)';
      return;
    }
    d.energyFailure = (err as Error).message;
    this.handleError(d, 'energy', err);
  }

  private handleError(d: DeviceState, what: string, err: unknown): void {
    if (err instanceof NvmlError && err.code === NVML_ERROR_GPU_IS_LOST) {
      d.lost ??= `GPU ${d.device.index} disappeared during the window (${err.message})`;
      this.fail(`gpu${d.device.index}`, 'lost', d.lost);
      return;
    }
    this.fail(`gpu${d.device.index}`, what, `GPU ${d.device.index}: ${(err as Error).message}`);
  }

  private sampleAll(nowMs: number): void {
    if (this.startMs === undefined) return;
    const tMs = Math.round((nowMs - this.startMs) * 1000) / 1000;
    for (const d of this.devices) {
      if (d.lost) continue;
      const read = (what: string, fn: () => number, target: TimeSeries): void => {
        if (d.lost) return;
        try {
          const v = fn();
          target.tMs.push(tMs);
          target.values.push(v);
        } catch (err) {
          // An unsupported reading is simply absent; anything else is recorded once.
          if (!isNotSupported(err)) this.handleError(d, what, err);
        }
      };
      read('power', () => d.device.powerMw() / 1000, d.power);
      read('utilization', () => d.device.utilization().gpuPercent, d.series[0]);
      read('memory', () => d.device.memoryInfo().usedBytes, d.series[1]);
      read('clock', () => d.device.smClockMhz(), d.series[2]);
      read('temperature', () => d.device.temperatureC(), d.series[3]);
      if (d.lost) continue;
      try {
        for (const r of harmfulThrottleReasons(d.device.throttleReasons())) d.throttled.add(r);
      } catch (err) {
        if (!isNotSupported(err)) this.handleError(d, 'throttle', err);
      }
    }
  }

  /** GPU memory held by the runner's processes, the largest seen. */
  private attributeMemory(): void {
    if (this.pid === undefined) return;
    const tree = new Set(listProcessTree(this.procRoot, this.pid));
    for (const d of this.devices) {
      if (d.lost) continue;
      try {
        const mine = d.device.computeProcesses().filter((p) => tree.has(p.pid));
        if (mine.length > 0) d.usedByRunner = true;
        const bytes = mine.reduce((a, p) => a + (p.usedGpuMemoryBytes ?? 0), 0);
        d.runnerMemoryBytes = Math.max(d.runnerMemoryBytes, bytes);
      } catch (err) {
        if (!isNotSupported(err)) this.handleError(d, 'processes', err);
      }
    }
  }

  private fail(device: string, what: string, message: string): void {
    const key = `${device}/${what}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.failures.push({ probe: this.name, message });
  }
}
