/** `run --dry-run`: the expanded trials and how long they should take. */
import type { TrialSpec } from '../engine/trial-spec.js';
import { fmtDuration, fmtSettings, renderTable } from './format.js';

/** Starting a runner process and loading a small model: a floor per trial, measured on a 2-core machine. */
const STARTUP_MS = 1500;

export function estimateMs(trials: TrialSpec[]): { lowMs: number; highMs: number } {
  let lowMs = 0;
  let highMs = 0;
  for (const t of trials) {
    const factor = t.scenario === 'ensemble' ? 2 * ((t.scenarioOptions?.ensemble as { members: unknown[] })?.members.length ?? 2) : t.scenario === 'server' ? 6 : 1;
    lowMs += STARTUP_MS + factor * t.stopping.minTimeMs;
    highMs += STARTUP_MS + (t.stopping.warmupMaxMs ?? 0) + factor * t.stopping.maxTimeMs;
  }
  return { lowMs, highMs };
}

export function dryRunText(trials: TrialSpec[]): string {
  const rows = trials.map((t, i) => [
    String(i + 1), t.modelRef, t.runtime, t.provider, fmtSettings(t.settings), String(t.batchSize), t.scenario,
    t.repetition !== undefined ? String(t.repetition + 1) : '-', t.key,
  ]);
  const { lowMs, highMs } = estimateMs(trials);
  const scans = trials.filter((t) => t.scenarioOptions?.scan).length;
  return `${renderTable(['#', 'model', 'runtime', 'provider', 'settings', 'batch', 'scenario', 'rep', 'key'], rows)}\n\n`
    + `${trials.length} trial(s); estimated duration ${fmtDuration(lowMs)} to ${fmtDuration(highMs)}`
    + `${scans ? ` (batch scans add steps as they go: ${scans} scan(s) start at their first batch)` : ''}\n`;
}
