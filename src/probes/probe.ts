/**
 * A probe watches the runner process from outside while it measures. It has
 * a start and a stop and knows nothing of reports. The engine calls the
 * hooks in this order: attach -> loaded -> windowStart -> windowEnd -> finish.
 * A probe never throws out of a hook: it records its failure and the trial
 * keeps its timing results.
 */
import type {
  BenchWarning, CpuFigures, EnergyReading, MemoryFigures, ProbeFailure, TimeSeries,
} from '../results/types.js';

export interface ProbeTarget {
  /** Pid of the runner; its descendants belong to it too. */
  pid: number;
}

export interface ProbeOutput {
  memory?: Partial<MemoryFigures>;
  cpu?: CpuFigures;
  energy?: EnergyReading[];
  /** Why an energy source gave nothing, by source name. */
  energyUnavailable?: Record<string, string>;
  series?: TimeSeries[];
  failures?: ProbeFailure[];
  warnings?: BenchWarning[];
  /** Time the probe itself spent in its hooks and sampling, for its overhead to be read. */
  overheadMs?: number;
}

export interface Probe {
  readonly name: string;
  /**
   * The shortest measured window for which this probe's figures mean
   * something (e.g. about 1 s for NVML energy); the engine lengthens the
   * measuring loop to at least this.
   */
  readonly minWindowMs?: number;
  attach(target: ProbeTarget): void | Promise<void>;
  loaded?(): void | Promise<void>;
  windowStart(): void | Promise<void>;
  windowEnd(): void | Promise<void>;
  finish(): Promise<ProbeOutput>;
}
