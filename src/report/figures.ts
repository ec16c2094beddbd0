/**
 * Typed readers of the figures a trial carries besides its latency summary:
 * output agreement, efficiency, and each scenario's own figures. Reports and
 * the terminal read them through here only, so where the result format keeps
 * them is known to this one file.
 */
import type { TrialResult } from '../results/types.js';
import type { Agreement } from '../engine/agreement.js';
import type { Efficiency } from '../onnx/efficiency.js';
import type { ScanSummary } from '../scenarios/batch-scan.js';
import type { RateAttempt } from '../scenarios/server.js';
import type { EnsembleFigures } from '../scenarios/ensemble-figures.js';
import type { EnsembleCheck } from '../scenarios/ensemble-prediction.js';

/** Agreement with the reference runtime, or why the reference could not run. */
export type AgreementFigure = Agreement | { reference: string; error: string };

export interface ServerFigure {
  /** The rate the reported samples were measured at, queries/s. */
  ratePerS: number;
  /** The p99 bound searched against, ms; null when a fixed --rate was given. */
  p99BoundMs: number | null;
  maxBatch?: number;
  maxWaitMs?: number;
  held: boolean;
  /** Highest offered rate that held, queries/s. */
  maxRatePerS: number | null;
  highestAchievedPerS: number;
  attempts: RateAttempt[];
}

export interface EnsembleFigure extends EnsembleFigures {
  mode: string;
  /** The ensemble's own prediction check, or why it could not be made. */
  prediction?: EnsembleCheck | { error: string };
}

function extra(r: TrialResult, name: string): unknown {
  return r.extra?.[name];
}

export function agreementOf(r: TrialResult): AgreementFigure | undefined {
  return extra(r, 'agreement') as AgreementFigure | undefined;
}

export function efficiencyOf(r: TrialResult): Efficiency | undefined {
  return r.status === 'ok' ? extra(r, 'efficiency') as Efficiency | undefined : undefined;
}

export function scanOf(r: TrialResult): ScanSummary | undefined {
  return extra(r, 'scan') as ScanSummary | undefined;
}

export function serverOf(r: TrialResult): ServerFigure | undefined {
  return extra(r, 'server') as ServerFigure | undefined;
}

export function ensembleOf(r: TrialResult): EnsembleFigure | undefined {
  return extra(r, 'ensemble') as EnsembleFigure | undefined;
}
