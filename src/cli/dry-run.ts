/** `run --dry-run`: the expanded trials and how long they should take, from measured speed where there is one. */
import type { TrialSpec } from '../engine/trial-spec.js';
import type { TrialResult } from '../results/types.js';
import { estimateSweepMs, historySpeeds, type SweepEstimate } from '../engine/duration-model.js';
import { modelCosts } from '../engine/model-costs.js';
import { fmtDuration, fmtSettings, renderTable } from './format.js';

/**
 * With earlier results of the same model and runtime: their measured speed; without, the model's MACs over the
 * GFLOP/s expected here; for models that cannot be counted, the stopping rule's bounds. A batch scan counts its expected steps.
 */
export async function estimateMs(trials: TrialSpec[], history: TrialResult[] = [], checkOutputs = true): Promise<SweepEstimate> {
  return estimateSweepMs(trials, historySpeeds(history), await modelCosts(trials, { checkOutputs }));
}

export async function dryRunText(trials: TrialSpec[], history: TrialResult[] = [], checkOutputs = true): Promise<string> {
  const rows = trials.map((t, i) => [
    String(i + 1), t.modelRef, t.runtime, t.provider, fmtSettings(t.settings), String(t.batchSize), t.scenario,
    t.repetition !== undefined ? String(t.repetition + 1) : '-', t.key,
  ]);
  const { lowMs, highMs, learned, costed, scanSpreadMs } = await estimateMs(trials, history, checkOutputs);
  const scans = trials.filter((t) => t.scenarioOptions?.scan).length;
  const range = lowMs === highMs ? fmtDuration(lowMs) : `${fmtDuration(lowMs)} to ${fmtDuration(highMs)}`;
  // Rounded to whole seconds, so a band too narrow to matter is not printed.
  const band = Math.round(scanSpreadMs / 1000) >= 1
    ? ` (${fmtDuration(Math.max(0, lowMs - scanSpreadMs))} to ${fmtDuration(highMs + scanSpreadMs)} in 9 runs of 10: the batch scans stop at different steps from run to run)`
    : '';
  const rest = trials.length - learned - costed;
  const basis = learned === trials.length ? 'from measured speed in the database'
    : [
      learned > 0 ? `${learned} trial(s) from measured speed in the database` : 'no earlier run of these models and runtimes in the database',
      costed > 0 ? `${costed} from the model's MACs over the GFLOP/s expected here` : '',
      rest > 0 ? `${rest} from the stopping rule alone` : '',
    ].filter(Boolean).join('; ');
  return `${renderTable(['#', 'model', 'runtime', 'provider', 'settings', 'batch', 'scenario', 'rep', 'key'], rows)}\n\n`
    + `${trials.length} trial(s); estimated duration ${range}${band} (${basis})`
    + `${scans ? ` (${scans} batch scan(s): each counted with the steps it is expected to take before its rate stops improving)` : ''}\n`;
}
