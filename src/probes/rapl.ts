/**
 * The 'rapl' probe: CPU package and DRAM energy from the powercap RAPL
 * counters, read at the window's start and end and polled in between so that
 * no more than one wrap-around passes unseen.
 */
import { performance } from 'node:perf_hooks';
import type { BenchWarning, EnergyReading, ProbeFailure, TimeSeries } from '../results/types.js';
import { ProbeUpkeep } from './upkeep.js';
import type { Probe, ProbeOutput } from './probe.js';
import { dynamicEnergyJ, idlePowerW, type IdleBaseline } from './baseline.js';
import { WrappingCounter } from './energy-counter.js';
import { windowShortWarning } from './energy-warnings.js';
import {
  DEFAULT_POWERCAP_ROOT, discoverRaplZones, nodePowercapIo, readEnergyUj,
  type PowercapIo, type RaplDiscovery, type RaplZone,
} from './rapl-zones.js';

/** Poll at least this often: a 2^32 uJ counter wraps in about 20 s at 200 W, so this is ample. */
const MAX_POLL_MS = 100;
const MIN_POLL_MS = 10;
/** RAPL updates about every millisecond; below this the hooks' own delays dominate. */
const RAPL_MIN_WINDOW_MS = 100;

export interface RaplProbeOptions {
  powercapRoot?: string;
  io?: PowercapIo;
  sampleIntervalMs?: number;
  baseline?: IdleBaseline;
  /** Zones found beforehand (createProbes discovers once per trial set). */
  discovery?: RaplDiscovery;
}

interface ZoneState {
  zone: RaplZone;
  counter: WrappingCounter;
  failed?: string;
  /** Counter total at the previous poll, for the power series. */
  lastTotalUj: number;
}

export class RaplProbe implements Probe {
  readonly name = 'rapl';
  readonly minWindowMs = RAPL_MIN_WINDOW_MS;
  private readonly io: PowercapIo;
  private readonly root: string;
  private readonly pollMs: number;
  private readonly baseline: IdleBaseline | undefined;
  private discovery: RaplDiscovery | undefined;
  private states: ZoneState[] = [];
  private startMs: number | undefined;
  private endMs: number | undefined;
  private lastPollMs = 0;
  private readonly failures: ProbeFailure[] = [];
  private readonly upkeep = new ProbeUpkeep((m) => this.failures.push({ probe: this.name, message: m }));
  private readonly series = new Map<'cpu' | 'dram', TimeSeries>();

  constructor(opts: RaplProbeOptions = {}) {
    this.io = opts.io ?? nodePowercapIo;
    this.root = opts.powercapRoot ?? DEFAULT_POWERCAP_ROOT;
    this.pollMs = Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, opts.sampleIntervalMs ?? MAX_POLL_MS));
    this.baseline = opts.baseline;
    this.discovery = opts.discovery;
  }

  attach(): void {
    this.upkeep.timed(() => {
      this.discovery ??= discoverRaplZones(this.root, this.io);
    });
  }

  windowStart(): void {
    this.upkeep.timed(() => {
      this.discovery ??= discoverRaplZones(this.root, this.io);
      if (!this.discovery.ok) return;
      this.states = this.discovery.zones.map((zone) => ({ zone, counter: new WrappingCounter(zone.maxEnergyRangeUj), lastTotalUj: 0 }));
      this.startMs = performance.now();
      this.lastPollMs = this.startMs;
      this.poll(this.startMs);
      this.upkeep.every(this.pollMs, () => this.poll(performance.now()));
    });
  }

  windowEnd(): void {
    this.upkeep.timed(() => {
      if (this.startMs === undefined || this.endMs !== undefined) return;
      this.upkeep.stop();
      this.endMs = performance.now();
      this.poll(this.endMs);
    });
  }

  async finish(): Promise<ProbeOutput> {
    this.upkeep.stop();
    const out: ProbeOutput = { overheadMs: this.upkeep.overheadMs };
    if (this.discovery && !this.discovery.ok) {
      out.energyUnavailable = { rapl: this.discovery.reason };
      return out;
    }
    if (this.startMs === undefined || this.endMs === undefined) {
      if (this.discovery) out.energyUnavailable = { rapl: 'the measured window never closed' };
      return out;
    }
    const windowMs = this.endMs - this.startMs;
    const readings: EnergyReading[] = [];
    const unavailable: Record<string, string> = {};
    for (const domain of ['cpu', 'dram'] as const) {
      const zones = this.states.filter((s) => s.zone.domain === domain);
      if (zones.length === 0) continue;
      const broken = zones.find((s) => s.failed);
      if (broken) {
        // A domain with one zone missing would read low; give none rather than a wrong one.
        unavailable[`rapl:${domain}`] = `${broken.zone.id} (${broken.zone.name}): ${broken.failed}`;
        continue;
      }
      const energyJ = zones.reduce((a, s) => a + s.counter.totalUj, 0) / 1e6;
      const reading: EnergyReading = { source: 'rapl', domain, energyJ };
      const idleW = idlePowerW(this.baseline, domain, 'rapl');
      if (idleW !== undefined) reading.dynamicEnergyJ = dynamicEnergyJ(energyJ, idleW, windowMs / 1000);
      readings.push(reading);
    }
    if (readings.length > 0) out.energy = readings;
    if (Object.keys(unavailable).length > 0) out.energyUnavailable = unavailable;
    const series = [...this.series.values()].filter((s) => s.values.length > 0);
    if (series.length > 0) out.series = series;
    const warnings: BenchWarning[] = [];
    if (windowMs < this.minWindowMs) warnings.push(windowShortWarning('RAPL', windowMs, this.minWindowMs));
    if (warnings.length > 0) out.warnings = warnings;
    if (this.failures.length > 0) out.failures = [...this.failures];
    return out;
  }

  private poll(nowMs: number): void {
    const deltaUj = { cpu: 0, dram: 0 };
    for (const s of this.states) {
      if (s.failed) continue;
      let raw: number;
      try {
        raw = readEnergyUj(s.zone, this.io);
      } catch (err) {
        s.failed = `counter unreadable: ${(err as Error).message}`;
        this.failures.push({ probe: this.name, message: `${s.zone.id} (${s.zone.name}): ${s.failed}` });
        continue;
      }
      const step = s.counter.update(raw);
      if (!step.ok) {
        s.failed = step.reason;
        this.failures.push({ probe: this.name, message: `${s.zone.id} (${s.zone.name}): ${step.reason}` });
        continue;
      }
      deltaUj[s.zone.domain] += s.counter.totalUj - s.lastTotalUj;
      s.lastTotalUj = s.counter.totalUj;
    }
    const dtMs = nowMs - this.lastPollMs;
    if (dtMs > 0 && this.startMs !== undefined) {
      for (const domain of ['cpu', 'dram'] as const) {
        if (!this.states.some((s) => s.zone.domain === domain && !s.failed)) continue;
        let ts = this.series.get(domain);
        if (!ts) {
          ts = { name: `${domain}PowerW`, unit: 'W', tMs: [], values: [] };
          this.series.set(domain, ts);
        }
        ts.tMs.push(Math.round((nowMs - this.startMs) * 1000) / 1000);
        ts.values.push(deltaUj[domain] / 1e6 / (dtMs / 1000));
      }
    }
    this.lastPollMs = nowMs;
  }
}
