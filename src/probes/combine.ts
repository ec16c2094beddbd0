/**
 * Folding the probes' outputs of one trial into the result's memory, CPU and
 * energy figures. Pure: outputs in, figures out. Measured energy and
 * estimates are summed apart and never share a figure unlabelled.
 */
import type {
  BenchWarning, CpuFigures, EnergyFigures, EnergyReading, MemoryFigures, ProbeFailure, TimeSeries,
} from '../results/types.js';
import type { ProbeOutput } from './probe.js';
import { dynamicEnergyJ, idlePowerW, type IdleBaseline } from './baseline.js';

export interface CombineContext {
  /** Inferences in the window times the batch size. */
  items: number;
  /** The measured window, seconds. */
  windowS: number;
  baseline?: IdleBaseline;
  /** RSS of the same runner with no model loaded, when the engine measured it. */
  runnerBaselineRssBytes?: number;
}

/** EnergyFigures plus the baseline-subtracted total (to be added to the public type). */
export type EnergyFiguresWithDynamic = EnergyFigures & {
  /** Sum of the measured readings' dynamicEnergyJ: energy above the idle baseline. */
  dynamicEnergyJ?: number;
  /** Idle power subtracted, watts, summed over the measured domains. */
  baselinePowerW?: number;
};

export interface CombinedProbeFigures {
  memory?: MemoryFigures;
  cpu?: CpuFigures;
  energy?: EnergyFiguresWithDynamic;
  series: TimeSeries[];
  probeFailures: ProbeFailure[];
  warnings: BenchWarning[];
  /** Time all probes spent in their own hooks and sampling, milliseconds. */
  overheadMs: number;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function combineMemory(outputs: ProbeOutput[], ctx: CombineContext): MemoryFigures | undefined {
  const merged: Partial<MemoryFigures> = {};
  for (const o of outputs) {
    if (!o.memory) continue;
    for (const [k, v] of Object.entries(o.memory) as [keyof MemoryFigures, number | undefined][]) {
      if (v !== undefined) merged[k] = Math.max(merged[k] ?? 0, v);
    }
  }
  if (merged.peakRssBytes === undefined) return undefined;
  if (ctx.runnerBaselineRssBytes !== undefined) merged.baselineRssBytes = ctx.runnerBaselineRssBytes;
  return merged as MemoryFigures;
}

function withDynamic(r: EnergyReading, ctx: CombineContext): EnergyReading {
  if (r.dynamicEnergyJ !== undefined || r.source === 'estimate') return r;
  const idleW = idlePowerW(ctx.baseline, r.domain, r.source);
  return idleW === undefined ? r : { ...r, dynamicEnergyJ: dynamicEnergyJ(r.energyJ, idleW, ctx.windowS) };
}

function combineEnergy(outputs: ProbeOutput[], ctx: CombineContext): EnergyFiguresWithDynamic | undefined {
  const readings = outputs.flatMap((o) => o.energy ?? []).map((r) => withDynamic(r, ctx));
  const unavailable: Record<string, string> = {};
  for (const o of outputs) Object.assign(unavailable, o.energyUnavailable ?? {});
  if (readings.length === 0 && Object.keys(unavailable).length === 0) return undefined;

  const measured = readings.filter((r) => r.source !== 'estimate');
  const estimates = readings.filter((r) => r.source === 'estimate');
  const fig: EnergyFiguresWithDynamic = { readings, estimated: measured.length === 0 && estimates.length > 0, windowS: ctx.windowS };
  if (measured.length > 0) fig.totalEnergyJ = sum(measured.map((r) => r.energyJ));
  if (estimates.length > 0) fig.estimatedEnergyJ = sum(estimates.map((r) => r.energyJ));
  // Derived figures come from measurements when there are any, from the estimate only when it is all there is.
  const basis = fig.totalEnergyJ ?? fig.estimatedEnergyJ;
  if (basis !== undefined) {
    if (ctx.windowS > 0) fig.averagePowerW = basis / ctx.windowS;
    if (ctx.items > 0) fig.energyPerItemJ = basis / ctx.items;
  }
  const dyn = measured.filter((r) => r.dynamicEnergyJ !== undefined);
  if (dyn.length > 0 && dyn.length === measured.length) {
    fig.dynamicEnergyJ = sum(dyn.map((r) => r.dynamicEnergyJ!));
    if (ctx.baseline) {
      const idle = measured.map((r) => idlePowerW(ctx.baseline, r.domain, r.source) ?? 0);
      fig.baselinePowerW = sum(idle);
    }
  }
  if (Object.keys(unavailable).length > 0) fig.unavailable = unavailable;
  return fig;
}

function failureWarnings(failures: ProbeFailure[]): BenchWarning[] {
  const byProbe = new Map<string, string[]>();
  for (const f of failures) byProbe.set(f.probe, [...(byProbe.get(f.probe) ?? []), f.message]);
  return [...byProbe].map(([probe, messages]) => ({
    code: 'probe-failed',
    message: `probe '${probe}' failed: ${messages.join('; ')}; timing results are unaffected`,
    remedy: 'see probeFailures in the result; `infermark doctor` shows what this machine can measure',
  }));
}

export function combineProbeOutputs(outputs: ProbeOutput[], ctx: CombineContext): CombinedProbeFigures {
  const probeFailures = outputs.flatMap((o) => o.failures ?? []);
  const cpus = outputs.map((o) => o.cpu).filter((c): c is CpuFigures => c !== undefined);
  const result: CombinedProbeFigures = {
    series: outputs.flatMap((o) => o.series ?? []),
    probeFailures,
    warnings: [...outputs.flatMap((o) => o.warnings ?? []), ...failureWarnings(probeFailures)],
    overheadMs: sum(outputs.map((o) => o.overheadMs ?? 0)),
  };
  const memory = combineMemory(outputs, ctx);
  if (memory) result.memory = memory;
  if (cpus.length > 0) result.cpu = cpus[0];
  const energy = combineEnergy(outputs, ctx);
  if (energy) result.energy = energy;
  return result;
}
