/**
 * The 'clock' probe: the CPU frequency and temperatures over the measured
 * window, as series, and a warning when the clock falls by more than
 * CLOCK_DROP_WARN_SHARE during it (thermal or power throttling makes a later
 * configuration look slower than it is).
 */
import type { BenchWarning, ProbeFailure, TimeSeries } from '../results/types.js';
import type { Probe, ProbeOutput } from './probe.js';
import { ProbeUpkeep } from './upkeep.js';
import { clockDropShare, DEFAULT_CLOCK_ROOTS, readClockMHz, readTemperaturesC, type ClockRoots } from './cpu-clock.js';

export const CLOCK_DROP_WARN_SHARE = 0.1;
/** Frequencies and temperatures change slowly; sampling them faster only costs. */
export const CLOCK_SAMPLE_INTERVAL_MS = 100;

export class ClockProbe implements Probe {
  readonly name = 'clock';
  private readonly roots: ClockRoots;
  private readonly intervalMs: number;
  private t0 = 0;
  private readonly clock: TimeSeries = { name: 'cpuClockMHz', unit: 'MHz', tMs: [], values: [] };
  private readonly temps = new Map<string, TimeSeries>();
  private readonly failures: ProbeFailure[] = [];
  private readonly upkeep = new ProbeUpkeep((message) => this.failures.push({ probe: this.name, message }));
  private source: string | undefined;

  constructor(opts: { roots?: ClockRoots; sampleIntervalMs?: number } = {}) {
    this.roots = opts.roots ?? DEFAULT_CLOCK_ROOTS;
    this.intervalMs = opts.sampleIntervalMs ?? CLOCK_SAMPLE_INTERVAL_MS;
  }

  attach(): void {}

  private sample(): void {
    const tMs = performance.now() - this.t0;
    const c = readClockMHz(this.roots);
    if (c) {
      this.source = c.source;
      this.clock.tMs.push(tMs);
      this.clock.values.push(c.mhz);
    }
    for (const [zone, celsius] of Object.entries(readTemperaturesC(this.roots))) {
      let s = this.temps.get(zone);
      if (!s) this.temps.set(zone, (s = { name: `temperatureC:${zone}`, unit: '°C', tMs: [], values: [] }));
      s.tMs.push(tMs);
      s.values.push(celsius);
    }
  }

  windowStart(): void {
    this.t0 = performance.now();
    this.upkeep.timed(() => this.sample());
    this.upkeep.every(this.intervalMs, () => this.sample());
  }

  windowEnd(): void {
    this.upkeep.stop();
    this.upkeep.timed(() => this.sample());
  }

  async finish(): Promise<ProbeOutput> {
    this.upkeep.stop();
    const series = [...(this.clock.values.length ? [this.clock] : []), ...this.temps.values()];
    const warnings: BenchWarning[] = [];
    const drop = clockDropShare(this.clock.values);
    if (drop > CLOCK_DROP_WARN_SHARE) {
      warnings.push({
        code: 'clock-drop',
        message: `the CPU clock fell ${(drop * 100).toFixed(0)}% during the measurement (${this.clock.values[0].toFixed(0)} -> ${Math.min(...this.clock.values).toFixed(0)} MHz, read from ${this.source})`,
        remedy: 'let the machine cool down between trials, fix the governor at performance, or compare with --repeat',
      });
    }
    return { series, warnings, failures: this.failures, overheadMs: this.upkeep.overheadMs };
  }
}
