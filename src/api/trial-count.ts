/**
 * How many trials a sweep can expand to, counted from the option lists
 * alone, before any model is read or any trial object is built: a plan a few
 * kilobytes long can name millions of trials, and building them exhausts the
 * heap long before the first one runs. The count is an upper bound (a bare
 * setting counts for every runtime, a server trial for every batch size).
 */
import type { BenchmarkOptions } from './options.js';
import { InputError } from '../errors/input-error.js';
import { RUNTIMES } from '../runtimes/registry.js';

export const DEFAULT_MAX_TRIALS = 100_000;

const len = (v: unknown): number => (Array.isArray(v) ? v.length : 1);

export function trialCountBound(o: BenchmarkOptions): number {
  const models = Math.max(len(o.model), 1);
  const runtimes = o.runtimes?.length ? o.runtimes : ['ort-node'];
  const settings = Object.entries(o.settings ?? {});
  let perModel = 0;
  for (const ref of runtimes) {
    const [name, provider] = ref.split(':');
    const providers = provider ? 1 : Math.max(o.providers?.length ?? 0, 1);
    let grid = 1;
    for (const [key, values] of settings) {
      const dot = key.indexOf('.');
      const scoped = dot > 0 && RUNTIMES[key.slice(0, dot)] ? key.slice(0, dot) : undefined;
      if (scoped === undefined || scoped === name) grid *= Math.max(len(values), 1);
    }
    perModel += providers * grid;
  }
  const batches = o.batchScan ? 1 : Math.max(o.batchSizes?.length ?? 0, 1);
  const scenarios = Math.max(o.scenarios?.length ?? 0, 1);
  return models * perModel * batches * scenarios * Math.max(o.repeat ?? 1, 1);
}

/** Refuses sweeps over `maxTrials` (all of `sweeps` together), saying how many and how to allow them. */
export function checkTrialCount(sweeps: BenchmarkOptions[], maxTrials = DEFAULT_MAX_TRIALS): void {
  const count = sweeps.reduce((sum, o) => sum + trialCountBound(o), 0);
  if (count > maxTrials) {
    const shown = Number.isFinite(count) && count < 1e15 ? String(count) : count.toExponential(2);
    throw new InputError('--max-trials', `--max-trials: the sweep expands to up to ${shown} trials, over the bound of ${maxTrials}; narrow the grid, or raise the bound with --max-trials N`);
  }
}
