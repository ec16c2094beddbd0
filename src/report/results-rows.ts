/**
 * One flat row per trial, shared by the HTML table, Markdown and CSV: the
 * columns a reader sorts and filters by, each with its unit in the name.
 */
import type { LoadDetails, TrialResult } from '../results/types.js';
import { agreementOf, efficiencyOf, measuredPeakShareOf, providerText } from './figures.js';

export interface ResultRow {
  run: string;
  /** Hostname of the machine the trial ran on, from its context. */
  machine?: string;
  model: string;
  runtime: string;
  provider: string;
  settings: string;
  batchSize: number;
  scenario: string;
  repetition: number;
  status: string;
  medianMs?: number;
  ciLowMs?: number;
  ciHighMs?: number;
  p99Ms?: number;
  throughputPerS?: number;
  loadMs?: number;
  /** Converter or compiler, cache hit or miss, their times (loadDetailsText). */
  loadDetails?: string;
  firstInferenceMs?: number;
  /** Compile on the first call (torch mode compile): with empty caches, and again with warm ones. */
  compileColdMs?: number;
  compileWarmMs?: number;
  coresBusy?: number;
  peakRssBytes?: number;
  energyPerItemJ?: number;
  averagePowerW?: number;
  /** True when the energy figures are estimates, not measurements. */
  energyEstimated?: boolean;
  /** Arithmetic rate on the model's convolution and matrix-product work. */
  achievedGflops?: number;
  /** Of the runtime's measured matrix-product peak, 0..1. */
  peakShare?: number;
  theoreticalPeakShare?: number;
  /** Outputs against the reference: agree, MISMATCH, or unchecked. */
  agreement?: string;
  samples?: number;
  converged?: boolean;
  warnings: number;
  /** Failure or skip reason. */
  reason?: string;
}

export function settingsText(settings: TrialResult['settings']): string {
  return Object.keys(settings).sort().map((k) => `${k}=${settings[k]}`).join(' ');
}

export function toRow(runId: string, t: TrialResult): ResultRow {
  const row: ResultRow = {
    run: runId, machine: t.context?.machine.hostname, model: t.model.path, runtime: t.runtime, provider: providerText(t), settings: settingsText(t.settings),
    batchSize: t.batchSize, scenario: t.scenario, repetition: t.repetition ?? 0, status: t.status, warnings: t.warnings.length,
  };
  if (t.status === 'failed') row.reason = `${t.error.kind}: ${t.error.message}`;
  if (t.status === 'skipped') row.reason = t.reason;
  if (t.status !== 'ok') return row;
  Object.assign(row, {
    medianMs: t.latencyMs.median, ciLowMs: t.latencyMs.ciLow, ciHighMs: t.latencyMs.ciHigh, p99Ms: t.latencyMs.p99,
    throughputPerS: t.throughputPerS, loadMs: t.loadMs, firstInferenceMs: t.firstInferenceMs,
    compileColdMs: t.compile?.coldMs, compileWarmMs: t.compile?.warmMs,
    ...(t.loadDetails ? { loadDetails: loadDetailsText(t.loadDetails) } : {}),
    coresBusy: t.cpu?.coresBusy, peakRssBytes: t.memory?.peakRssBytes,
    energyPerItemJ: t.energy?.energyPerItemJ, averagePowerW: t.energy?.averagePowerW,
    energyEstimated: t.energy ? t.energy.estimated : undefined,
    samples: t.latencyMs.n, converged: t.converged,
  });
  const e = efficiencyOf(t);
  const a = agreementOf(t);
  if (e) Object.assign(row, { achievedGflops: e.achievedGflops, peakShare: measuredPeakShareOf(e), theoreticalPeakShare: e.theoreticalPeakShare });
  if (a) row.agreement = a.error !== undefined ? 'unchecked' : a.withinTolerance ? 'agree' : 'MISMATCH';
  return row;
}

/** One line for a report: "infermark onnx_to_tf 1, cache miss, convert 812 ms, tuning 32 trials in 41.2 s". */
export function loadDetailsText(d: LoadDetails): string {
  const parts = [
    d.converter,
    d.cache ? `cache ${d.cache}` : undefined,
    d.convertMs !== undefined ? `convert ${Math.round(d.convertMs)} ms` : undefined,
    d.compileMs !== undefined ? `compile ${Math.round(d.compileMs)} ms` : undefined,
    d.tuningTrials !== undefined ? `tuning ${d.tuningTrials} trials${d.tuningMs !== undefined ? ` in ${(d.tuningMs / 1000).toFixed(1)} s` : ''}` : undefined,
  ];
  return parts.filter(Boolean).join(', ');
}
