/**
 * The 'nvidia-smi' probe: GPU power sampled by the nvidia-smi command, used
 * only where the NVML library cannot be loaded but the binary exists. Its
 * energy is the integral of the power samples (source 'nvidia-smi').
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { EnergyReading, ProbeFailure, TimeSeries } from '../results/types.js';
import type { Probe, ProbeOutput } from './probe.js';
import { dynamicEnergyJ, idlePowerW, type IdleBaseline } from './baseline.js';
import { NVML_MIN_WINDOW_MS } from './nvml.js';
import { windowShortWarning } from './energy-warnings.js';
import { trapezoidEnergyJ } from './trapezoid.js';

/** nvidia-smi refuses intervals below this. */
const MIN_LMS = 50;

export function nvidiaSmiAvailable(bin = 'nvidia-smi'): boolean {
  try {
    return spawnSync(bin, ['--version'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  } catch {
    return false;
  }
}

/**
 * The power field to sample. Since driver 530, power.draw is a one-second average: over a 2 s window
 * that starts from idle it lags the load, and its integral read 20% below NVML's energy counter on an
 * H200 where power.draw.instant read within 7.4% of it. Older drivers have only power.draw.
 */
export function powerQueryField(bin = 'nvidia-smi'): string {
  // The driver does not change under a process: asked once per binary, not once per trial's probe.
  let field = fieldByBin.get(bin);
  if (field === undefined) {
    field = askPowerField(bin);
    fieldByBin.set(bin, field);
  }
  return field;
}

const fieldByBin = new Map<string, string>();

function askPowerField(bin: string): string {
  try {
    const r = spawnSync(bin, ['--query-gpu=power.draw.instant', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: 5000 });
    return r.status === 0 && /^\s*\d+(\.\d+)?\s*$/m.test(r.stdout ?? '') ? 'power.draw.instant' : 'power.draw';
  } catch {
    return 'power.draw';
  }
}

/** "0, 61.23" -> [0, 61.23]; undefined for lines nvidia-smi writes when a value is missing. */
export function parsePowerLine(line: string): [number, number] | undefined {
  const m = /^\s*(\d+)\s*,\s*(\d+(?:\.\d+)?)\s*$/.exec(line);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export class NvidiaSmiProbe implements Probe {
  readonly name = 'nvidia-smi';
  readonly minWindowMs = NVML_MIN_WINDOW_MS;
  private child: ChildProcess | undefined;
  private startMs: number | undefined;
  private endMs: number | undefined;
  private readonly perGpu = new Map<number, TimeSeries>();
  private readonly failures: ProbeFailure[] = [];
  private overheadMs = 0;
  private partial = '';
  /** Asked before any window: nvidia-smi takes a while to answer. */
  private readonly field: string;

  constructor(private readonly opts: { sampleIntervalMs?: number; baseline?: IdleBaseline; bin?: string } = {}) {
    this.field = powerQueryField(opts.bin);
  }

  attach(): void {}

  windowStart(): void {
    const t0 = performance.now();
    this.startMs = t0;
    const lms = Math.max(MIN_LMS, Math.round(this.opts.sampleIntervalMs ?? 100));
    try {
      const child = spawn(this.opts.bin ?? 'nvidia-smi', [`--query-gpu=index,${this.field}`, '--format=csv,noheader,nounits', `-lms`, String(lms)], { stdio: ['ignore', 'pipe', 'ignore'] });
      child.on('error', (err) => this.failures.push({ probe: this.name, message: `nvidia-smi could not run: ${err.message}` }));
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => this.onData(chunk));
      this.child = child;
    } catch (err) {
      this.failures.push({ probe: this.name, message: `nvidia-smi could not run: ${(err as Error).message}` });
    }
    this.overheadMs += performance.now() - t0;
  }

  windowEnd(): void {
    this.endMs = performance.now();
    this.child?.kill();
    this.child = undefined;
  }

  async finish(): Promise<ProbeOutput> {
    this.child?.kill();
    const out: ProbeOutput = { overheadMs: this.overheadMs };
    if (this.startMs === undefined || this.endMs === undefined) return out;
    const windowMs = this.endMs - this.startMs;
    let energyJ = 0;
    let gpus = 0;
    for (const s of this.perGpu.values()) {
      const inWindow = s.tMs.map((t, i) => [t, s.values[i]] as const).filter(([t]) => t <= windowMs);
      if (inWindow.length < 2) continue;
      energyJ += trapezoidEnergyJ(inWindow.map(([t]) => t), inWindow.map(([, v]) => v), { startMs: 0, endMs: windowMs });
      gpus++;
    }
    if (gpus > 0) {
      const reading: EnergyReading = { source: 'nvidia-smi', domain: 'gpu', energyJ };
      const idleW = idlePowerW(this.opts.baseline, 'gpu', 'nvidia-smi');
      if (idleW !== undefined) reading.dynamicEnergyJ = dynamicEnergyJ(energyJ, idleW, windowMs / 1000);
      out.energy = [reading];
    } else {
      out.energyUnavailable = { 'nvidia-smi': 'nvidia-smi gave fewer than two power samples in the window; lengthen it with --min-time' };
    }
    out.series = [...this.perGpu.values()];
    if (windowMs < this.minWindowMs) out.warnings = [windowShortWarning('nvidia-smi', windowMs, this.minWindowMs)];
    if (this.failures.length > 0) out.failures = [...this.failures];
    return out;
  }

  private onData(chunk: string): void {
    if (this.startMs === undefined) return;
    const tMs = performance.now() - this.startMs;
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = parsePowerLine(line);
      if (!parsed) continue;
      const [gpu, watts] = parsed;
      let s = this.perGpu.get(gpu);
      if (!s) {
        s = { name: `gpuPowerW:${gpu}`, unit: 'W', tMs: [], values: [] };
        this.perGpu.set(gpu, s);
      }
      s.tMs.push(Math.round(tMs * 1000) / 1000);
      s.values.push(watts);
    }
  }
}
