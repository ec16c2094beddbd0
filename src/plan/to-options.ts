/**
 * A plan (and CLI flags that override it) into one set of benchmark options
 * per entry. Durations and percentages are parsed here, once.
 */
import type { BenchmarkOptions } from './benchmark-options.js';
import type { SettingValue } from '../results/types.js';
import type { Plan, PlanEntry } from './load.js';
import { parseDurationMs, parseFraction } from '../core/parse-values.js';

import type { BatchScan } from '../scenarios/batch-scan.js';
import type { ServerOptions } from '../scenarios/server.js';
import type { EnsembleOptions } from '../scenarios/ensemble.js';
import { getScenario } from '../scenarios/registry.js';
import { resolveOptions } from '../scenarios/options-check.js';

export type { BatchScan, EnsembleOptions, ServerOptions };

export interface EntryOptions {
  name?: string;
  bench: BenchmarkOptions;
  scan?: BatchScan;
  server?: ServerOptions;
  ensemble?: EnsembleOptions;
}

export interface PlanProbeOptions { sampleIntervalMs?: number; energy?: 'auto' | 'off' | 'estimate'; idleBaselineMs?: number }

function settingsOf(s: Record<string, unknown> | undefined): Record<string, SettingValue[]> | undefined {
  if (!s) return undefined;
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]) as SettingValue[]]));
}

export function scanOf(batch: PlanEntry['batch']): BatchScan | undefined {
  if (batch === 'scan') return { from: 1, max: 1024, threshold: 0.05 };
  if (batch && typeof batch === 'object' && !Array.isArray(batch)) {
    const s = batch.scan;
    return { from: s.from ?? 1, max: s.max ?? 1024, threshold: s.threshold ? parseFraction('batch.scan.threshold', s.threshold) : 0.05 };
  }
  return undefined;
}

/** Parsed by the server scenario itself (durations, defaults), as its flags are. */
function serverOf(s: PlanEntry['server']): ServerOptions | undefined {
  return s ? resolveOptions(getScenario('server'), s) as ServerOptions : undefined;
}

export function planEntries(plan: Plan): EntryOptions[] {
  const entries: PlanEntry[] = plan.entries?.length ? plan.entries.map((e) => ({ ...plan, entries: undefined, ...e })) : [plan];
  return entries.map((e) => {
    const scan = scanOf(e.batch);
    const batchSizes = scan ? [scan.from] : typeof e.batch === 'number' ? [e.batch] : Array.isArray(e.batch) ? e.batch : undefined;
    const stopping: BenchmarkOptions['stopping'] = {};
    const st = plan.stopping ?? {};
    if (st.warmup !== undefined) stopping.warmupRuns = st.warmup;
    if (st.minSamples !== undefined) stopping.minSamples = st.minSamples;
    if (st.minTime !== undefined) stopping.minTimeMs = parseDurationMs('stopping.minTime', st.minTime, { minMs: 0 });
    if (st.maxTime !== undefined) stopping.maxTimeMs = parseDurationMs('stopping.maxTime', st.maxTime);
    if (st.targetCi !== undefined) stopping.targetCiRel = parseFraction('stopping.targetCi', st.targetCi);
    const ensemble = e.ensemble?.members ? { members: e.ensemble.members, mode: e.ensemble.mode ?? 'processes' } : undefined;
    return {
      ...(e.name ? { name: e.name } : {}),
      bench: {
        model: e.models ?? ensemble?.members.slice(0, 1) ?? [],
        runtimes: e.runtimes,
        providers: e.providers,
        settings: e.format ? { ...settingsOf(e.settings), format: [e.format].flat() } : settingsOf(e.settings),
        batchSizes,
        scenarios: e.scenarios,
        dims: e.dims,
        ...(e.batchDim !== undefined ? { batchDim: e.batchDim } : {}),
        // A string is a file, a number or boolean a constant ('@' marks a file for given-inputs.ts).
        ...(e.inputs ? { inputValues: Object.entries(e.inputs).map(([k, v]) => `${k}=${typeof v === 'string' ? `@${v}` : v}`) } : {}),
        ...(e.inputsDir !== undefined ? { inputsDir: e.inputsDir } : {}),
        shapes: e.shapes,
        stopping,
        ...(plan.seed !== undefined ? { seed: plan.seed } : {}),
        ...(plan.cpus !== undefined ? { cpus: plan.cpus } : {}),
        ...(plan.timeout !== undefined ? { timeoutMs: parseDurationMs('timeout', plan.timeout) } : {}),
        ...(plan.repeat !== undefined ? { repeat: plan.repeat } : {}),
      },
      ...(scan ? { scan } : {}),
      ...(serverOf(e.server) ? { server: serverOf(e.server) } : {}),
      ...(ensemble ? { ensemble } : {}),
    };
  });
}

export function planProbes(plan: Plan): PlanProbeOptions {
  const p = plan.probes ?? {};
  return {
    ...(p.sampleInterval ? { sampleIntervalMs: parseDurationMs('probes.sampleInterval', p.sampleInterval, { minMs: 1 }) } : {}),
    ...(p.energy ? { energy: p.energy } : {}),
    ...(p.idleBaseline ? { idleBaselineMs: parseDurationMs('probes.idleBaseline', p.idleBaseline, { minMs: 100 }) } : {}),
  };
}
