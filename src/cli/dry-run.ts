/** `run --dry-run`: the expanded trials and how long they should take, from measured speed where there is one. */
import type { TrialSpec } from '../engine/trial-spec.js';
import type { TrialResult } from '../results/types.js';
import { estimateSweepMs, learnSpeeds } from '../engine/duration-model.js';
import { fmtDuration, fmtSettings, renderTable } from './format.js';

/** Without history: the stopping rule's bounds; with earlier results of the same model and runtime: their measured speed. */
export function estimateMs(trials: TrialSpec[], history: TrialResult[] = []): { lowMs: number; highMs: number; learned: number } {
  return estimateSweepMs(trials, learnSpeeds(history));
}

export function dryRunText(trials: TrialSpec[], history: TrialResult[] = []): string {
  const rows = trials.map((t, i) => [
    String(i + 1), t.modelRef, t.runtime, t.provider, fmtSettings(t.settings), String(t.batchSize), t.scenario,
    t.repetition !== undefined ? String(t.repetition + 1) : '-', t.key,
  ]);
  const { lowMs, highMs, learned } = estimateMs(trials, history);
  const scans = trials.filter((t) => t.scenarioOptions?.scan).length;
  const range = lowMs === highMs ? fmtDuration(lowMs) : `${fmtDuration(lowMs)} to ${fmtDuration(highMs)}`;
  const basis = learned === trials.length ? 'from measured speed in the database'
    : learned > 0 ? `${learned} trial(s) from measured speed in the database, the rest from the stopping rule`
      : 'from the stopping rule alone: no earlier run of these models and runtimes in the database';
  return `${renderTable(['#', 'model', 'runtime', 'provider', 'settings', 'batch', 'scenario', 'rep', 'key'], rows)}\n\n`
    + `${trials.length} trial(s); estimated duration ${range} (${basis})`
    + `${scans ? ` (batch scans add steps as they go: ${scans} scan(s) start at their first batch)` : ''}\n`;
}
