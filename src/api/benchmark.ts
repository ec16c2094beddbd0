/**
 * The library's benchmark(): the same sweep the `run` command performs,
 * returning the results instead of printing them.
 */
import type { TrialResult } from '../results/types.js';
import type { Probe } from '../probes/probe.js';
import type { TrialSpec } from '../engine/trial-spec.js';
import { resolveOptions, type BenchmarkOptions } from './options.js';
import { prepareTrials } from './prepare.js';
import { runSweep, type SweepProgress } from '../engine/sweep.js';
import { getScenario } from '../scenarios/registry.js';
import { OutputChecker } from '../engine/check-outputs.js';
import { JsonlWriteError, JsonlWriter, readJsonl, resumeId } from '../results/jsonl.js';
import { SweepStoppedError } from '../results/save-error.js';
import { InputError } from '../errors/input-error.js';
import { checkTrialCount } from './trial-count.js';
import { recommend, type Recommendation } from '../analysis/recommend.js';
import { openResultsStore } from '../store/open.js';
import { machineContext } from '../engine/context.js';
import { TOOL_VERSION } from '../version.js';
import { estimateSweepMs, historySpeeds } from '../engine/duration-model.js';
import { modelCosts } from '../engine/model-costs.js';
import { historyOf, readHistory } from './history.js';

export interface BenchmarkRunOptions extends BenchmarkOptions {
  /** JSON Lines file every finished trial is appended to at once. */
  out?: string;
  /** Skip trials already in `out`. */
  resume?: boolean;
  /** A fresh probe set for each trial. */
  probes?: (spec: TrialSpec) => Probe[];
  onProgress?: (p: SweepProgress) => void;
  onResult?: (r: TrialResult) => void | Promise<void>;
  /** Compare every trial's outputs with onnxruntime-node (cpu, no graph optimisation) on the same input; default true. */
  checkOutputs?: boolean;
  /** Add efficiency figures (MACs per item, GFLOP/s, share of the runtime's peak); default true. */
  efficiency?: boolean;
  /** The runner's own output (stdout and stderr), as it comes. */
  onOutput?: (spec: TrialSpec, text: string) => void;
  /** Only the trials this accepts, by their index in the expanded plan (one shard of a fleet run). */
  select?: (spec: TrialSpec, index: number) => boolean;
  /** Results recorded elsewhere (a shared store): their trials are not run again. */
  done?: TrialResult[];
  /** Results of earlier runs: the ETA learns their measured speed (benchmark() reads them from its database). */
  history?: TrialResult[];
  /** Called once the trials are known, before any runs. */
  onPlan?: (trials: TrialSpec[], alreadyDone: number) => void;
}

/** Validate the options and expand them into trials, without running any. */
export function planTrials(options: BenchmarkOptions): Promise<TrialSpec[]> {
  checkTrialCount([options], options.maxTrials);
  return prepareTrials(resolveOptions(options));
}

export interface BenchmarkOutcome {
  results: TrialResult[];
  /** What `run` prints after its table: the best configuration per objective and the Pareto set. */
  recommendation: Recommendation;
  /** The run's id in the results database; absent with `db: false`. */
  runId?: string;
}

/**
 * What `run` does: the sweep, recorded in the results database (the path
 * given, else $INFERMARK_DB, else the user's data folder; `db: false` records
 * nothing), and the recommendation.
 */
export async function benchmark(options: BenchmarkRunOptions & { db?: string | false }): Promise<BenchmarkOutcome> {
  const store = options.db === false ? undefined : await openResultsStore(options.db);
  try {
    // Read before this run is begun: the ETA starts from earlier runs' measured speed, as the CLI's does.
    const history = options.history ?? (store ? await historyOf(store) : []);
    const runId = await store?.beginRun({ command: 'benchmark()', plan: options, toolVersion: TOOL_VERSION, machine: machineContext() });
    const results = await sweep({
      ...options,
      history,
      onResult: async (r) => {
        if (store && runId) await store.addTrial(runId, r);
        await options.onResult?.(r);
      },
    });
    if (store && runId) await store.endRun(runId);
    return { results, recommendation: recommend(results), ...(runId ? { runId } : {}) };
  } finally {
    await store?.close();
  }
}

export interface DurationEstimate {
  /** Equal when every trial's time is predicted from measured speed or the model's size. */
  lowMs: number;
  highMs: number;
  /** Trials predicted from measured speed (earlier runs in the database). */
  learned: number;
  /** Trials predicted from the model's MACs over the GFLOP/s expected here. */
  costed: number;
  /** How far the time may land either way because batch scans stop at different steps (a band for 9 runs in 10). */
  scanSpreadMs: number;
  trials: number;
}

/**
 * What `run --dry-run` estimates, without running anything: the plan's trials and their duration,
 * learned from earlier runs in the database (the path given, else $INFERMARK_DB, else the default; `db: false` reads none).
 */
export async function estimateDuration(options: BenchmarkOptions & { db?: string | false; history?: TrialResult[]; checkOutputs?: boolean }): Promise<DurationEstimate> {
  const trials = await planTrials(options);
  const history = options.history ?? (options.db === false ? [] : await readHistory(options.db));
  return { ...estimateSweepMs(trials, historySpeeds(history), await modelCosts(trials, { checkOutputs: options.checkOutputs })), trials: trials.length };
}

/** The sweep alone: results, nothing recorded (`run` records them itself, across plan entries). */
export async function sweep(options: BenchmarkRunOptions): Promise<TrialResult[]> {
  const planned = await planTrials(options);
  const trials = options.select ? planned.filter((t, i) => options.select!(t, i)) : planned;
  const done = [...(options.done ?? []), ...(options.resume && options.out ? readJsonl(options.out).results : [])];
  let writer: JsonlWriter | undefined;
  try {
    writer = options.out ? new JsonlWriter(options.out) : undefined;
  } catch (err) {
    // Nothing has run yet: a full disk or an unwritable path is the user's to fix, in one line.
    throw new InputError('--out', `--out: cannot write ${JSON.stringify(options.out)} (${(err as Error).message}); nothing was run`);
  }
  const checker = options.checkOutputs === false ? undefined : new OutputChecker();
  const doneIds = new Set(done.map(resumeId));
  options.onPlan?.(trials, trials.filter((t) => doneIds.has(resumeId(t))).length);
  // Every result in sweep order, kept here too so a failed save can still show them all.
  const seen: TrialResult[] = [];
  try {
    return await runSweep(trials, {
      done,
      history: options.history,
      probes: options.probes,
      checker,
      efficiency: options.efficiency !== false,
      execute: (spec, probes, onPhase) => {
        const scenario = getScenario(spec.scenario);
        return scenario.runsIn(spec) === 'parent' ? scenario.runInParent?.(spec, { probes, onPhase }) : undefined;
      },
      onProgress: options.onProgress,
      onOutput: options.onOutput,
      // The database first (one transaction), then the line: a kill between the two leaves the
      // trial in the database, and --resume copies it back to the file.
      onResult: async (r) => {
        seen.push(r);
        await options.onResult?.(r);
        writer?.append(r);
      },
    });
  } catch (err) {
    if (err instanceof JsonlWriteError) {
      const fresh = new Set(seen.map(resumeId));
      const planned = new Set(trials.map(resumeId));
      throw new SweepStoppedError(err, [...done.filter((r) => planned.has(resumeId(r)) && !fresh.has(resumeId(r))), ...seen]);
    }
    throw err;
  } finally {
    writer?.close();
    checker?.close();
  }
}
