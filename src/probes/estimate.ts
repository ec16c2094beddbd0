/**
 * The 'estimate' probe: CPU energy where no sensor exists, modelled as the
 * runner's CPU seconds in the window times a per-core power figure (the
 * CodeCarbon style: a TDP spread over the cores, scaled by load). It is a
 * model, not a measurement: its reading carries source 'estimate' with the
 * model's name and constants, and is never added to measured energy.
 */
import { performance } from 'node:perf_hooks';
import type { EnergyReading, ProbeFailure } from '../results/types.js';
import type { Probe, ProbeOutput, ProbeTarget } from './probe.js';
import { listProcessTree, readProcStat } from './proc-stat.js';
import { systemConstants } from './system-constants.js';

/**
 * Watts drawn by one fully busy core: a desktop or server CPU's TDP over its
 * cores lands between about 5 and 15 W (e.g. 125 W / 8 cores, 205 W / 28 cores).
 */
export const DEFAULT_WATTS_PER_CORE = 10;
export const ESTIMATE_MODEL_NAME = 'cpu-seconds-x-watts-per-core';

/** The labelled reading for a given CPU time. Pure. */
export function estimateCpuEnergy(cpuTimeS: number, wattsPerCore: number = DEFAULT_WATTS_PER_CORE): EnergyReading {
  return {
    source: 'estimate',
    domain: 'cpu',
    energyJ: cpuTimeS * wattsPerCore,
    model: { name: ESTIMATE_MODEL_NAME, constants: { wattsPerCore, cpuTimeS } },
  };
}

export interface EstimateProbeOptions {
  wattsPerCore?: number;
  procRoot?: string;
  clockTicksPerS?: number;
  /** Why no sensor was used, kept with the result. */
  noSensorReason?: string;
}

export class EstimateProbe implements Probe {
  readonly name = 'estimate';
  private readonly wattsPerCore: number;
  private readonly procRoot: string;
  private readonly ticksPerS: number;
  private readonly noSensorReason: string | undefined;
  private pid = 0;
  private startTicks: number | undefined;
  private endTicks: number | undefined;
  private overheadMs = 0;
  private readonly failures: ProbeFailure[] = [];

  constructor(opts: EstimateProbeOptions = {}) {
    this.wattsPerCore = opts.wattsPerCore ?? DEFAULT_WATTS_PER_CORE;
    this.procRoot = opts.procRoot ?? '/proc';
    this.ticksPerS = opts.clockTicksPerS ?? systemConstants().clockTicksPerS;
    this.noSensorReason = opts.noSensorReason;
  }

  attach(target: ProbeTarget): void {
    this.pid = target.pid;
  }

  windowStart(): void {
    this.startTicks = this.treeTicks();
  }

  windowEnd(): void {
    this.endTicks = this.treeTicks();
  }

  async finish(): Promise<ProbeOutput> {
    const out: ProbeOutput = { overheadMs: this.overheadMs };
    if (this.startTicks === undefined || this.endTicks === undefined) {
      this.failures.push({ probe: this.name, message: 'the runner\'s CPU time could not be read at the window\'s start and end; no estimate' });
    } else {
      out.energy = [estimateCpuEnergy(Math.max(0, this.endTicks - this.startTicks) / this.ticksPerS, this.wattsPerCore)];
    }
    if (this.noSensorReason) out.energyUnavailable = { rapl: this.noSensorReason };
    if (this.failures.length > 0) out.failures = [...this.failures];
    return out;
  }

  private treeTicks(): number | undefined {
    const t0 = performance.now();
    try {
      let ticks = 0;
      let seen = false;
      for (const pid of listProcessTree(this.procRoot, this.pid)) {
        const st = readProcStat(this.procRoot, pid);
        if (!st) continue;
        seen = true;
        ticks += st.ownTicks + st.reapedChildrenTicks;
      }
      return seen ? ticks : undefined;
    } finally {
      this.overheadMs += performance.now() - t0;
    }
  }
}
