/**
 * Running a list of trials one after another, each in its own process,
 * saving each result the moment it exists. A failed trial is a result; the
 * sweep goes on.
 */
import { RESULTS_FORMAT_VERSION, type TrialResult } from '../results/types.js';
import { scenarioPart } from '../results/scenario-part.js';
import type { Probe } from '../probes/probe.js';
import type { TrialSpec } from './trial-spec.js';
import type { Launcher } from '../launchers/launcher.js';
import { createLauncher } from '../launchers/registry.js';
import { runnerBaselineRssBytes } from './runner-baseline.js';
import type { OutputChecker } from './check-outputs.js';
import { withEfficiency } from './efficiency-figures.js';
import { etaMs as sweepEta, historySpeeds, learnSpeeds, type FinishedTrial } from './duration-model.js';
import { modelCosts } from './model-costs.js';
import { resumeId } from '../results/jsonl.js';
import { runtimeStatus } from '../runtimes/registry.js';
import { trialContext } from './context.js';
import { findScenario } from '../scenarios/registry.js';

export interface SweepProgress {
  index: number;
  total: number;
  spec: TrialSpec;
  /** Estimated time left for the whole sweep, from the trials finished so far. */
  etaMs?: number;
  phase: 'starting' | 'loaded' | 'measuring' | 'done';
}

export interface SweepOptions {
  /** Results of earlier runs (e.g. from the database): the ETA starts from their measured speed. */
  history?: TrialResult[];
  /** Results already recorded (from --resume): their trials are not run again, and are returned in sweep order. */
  done?: TrialResult[];
  /** Fresh probes for each trial. */
  probes?: (spec: TrialSpec) => Probe[];
  onProgress?: (p: SweepProgress) => void;
  /** Called with every new result before the next trial starts (the JSONL writer, the database). */
  /** Awaited before the next trial: a result is saved where it must be before anything else happens. */
  onResult?: (r: TrialResult) => void | Promise<void>;
  /** Compare each trial's outputs with a reference run (--check-outputs). */
  checker?: OutputChecker;
  /** Add MACs per item, achieved GFLOP/s and the share of this runtime's peak. */
  efficiency?: boolean;
  /** Where each trial runs; default: a runner forked here (the local launcher). */
  launcher?: Launcher;
  /** Run a trial some other way (scenarios that span several runners). */
  execute?: (spec: TrialSpec, probes: () => Probe[], onPhase: (phase: SweepProgress['phase']) => void) => Promise<TrialResult> | undefined;
  /** The runner's own output, as it comes (--show-output). */
  onOutput?: (spec: TrialSpec, text: string) => void;
}

/** A provider that is not available here gives a skipped trial with the reason, not a failure. */
async function unavailableReason(spec: TrialSpec): Promise<string | undefined> {
  const status = await runtimeStatus(spec.runtime);
  if (status.loadError) return `${spec.runtime} cannot be loaded: ${status.loadError}`;
  const p = status.providers.find((x) => x.name === spec.provider);
  if (p && !p.available) return `${spec.runtime} provider ${spec.provider} is unavailable: ${p.reason ?? 'no reason given'}`;
  return undefined;
}

function skippedResult(spec: TrialSpec, reason: string): TrialResult {
  return {
    formatVersion: RESULTS_FORMAT_VERSION, status: 'skipped', key: spec.key, runtime: spec.runtime, provider: spec.provider, settings: spec.settings,
    batchSize: spec.batchSize, ...scenarioPart(spec.scenario),
    model: { path: spec.modelRef, sha256: spec.modelSha256, sizeBytes: spec.modelSizeBytes },
    inputShapes: spec.inputShapes, reason, warnings: [], context: trialContext({}, new Date()),
    ...(spec.repetition !== undefined ? { repetition: spec.repetition } : {}),
  };
}

export async function runSweep(trials: TrialSpec[], options: SweepOptions = {}): Promise<TrialResult[]> {
  const done = new Map((options.done ?? []).map((r) => [resumeId(r), r]));
  // A queue, not a list: a scenario's follow-up (a batch scan's next step) goes in front as it comes.
  const queue = [...trials];
  // The results that led to a queued follow-up, by its spec.
  const earlierOf = new Map<TrialSpec, TrialResult[]>();
  const results: TrialResult[] = [];
  // The ETA learns from measured speed: each finished trial's latency and load time, and its wall time.
  const speeds = historySpeeds(options.history ?? []);
  const costs = await modelCosts(trials, { checkOutputs: options.checker !== undefined, runnerBaseline: options.probes !== undefined });
  const finished: FinishedTrial[] = [];
  const launcher = options.launcher ?? createLauncher('local');
  for (let i = 0; queue.length > 0; i++) {
    const spec = queue.shift()!;
    const previous = done.get(resumeId(spec));
    let result: TrialResult;
    if (previous) {
      result = previous;
    } else {
      const total = i + 1 + queue.filter((t) => !done.has(resumeId(t))).length;
      const etaMs = sweepEta([spec, ...queue.filter((t) => !done.has(resumeId(t)))], finished, speeds, costs);
      const trialStarted = Date.now();
      // Time spent on the sweep's one-time jobs, which this trial may be the first to need.
      let sharedWorkMs = 0;
      const shared = async <T>(work: () => Promise<T>): Promise<T> => {
        const started = Date.now();
        try { return await work(); } finally { sharedWorkMs += Date.now() - started; }
      };
      const onPhase = (phase: SweepProgress['phase']) => options.onProgress?.({ index: i, total, spec, etaMs, phase });
      const reason = await unavailableReason(spec);
      if (reason) {
        result = skippedResult(spec, reason);
      } else {
        const probes = () => options.probes?.(spec) ?? [];
        const custom = options.execute?.(spec, probes, onPhase);
        const checked = options.checker?.prepare(spec) ?? spec;
        result = await (custom ?? launcher.run(checked, {
          probes: probes(), onPhase, runnerBaselineRssBytes: options.probes ? await shared(() => runnerBaselineRssBytes(spec.runtime)) : undefined,
          ...(options.onOutput ? { onOutput: (text: string) => options.onOutput!(spec, text) } : {}),
        }));
        if (options.checker && !custom) result = await shared(() => options.checker!.check(checked, result));
        if (options.efficiency) result = await withEfficiency(spec, result);
      }
      const wallMs = Date.now() - trialStarted;
      finished.push({ spec, wallMs, sharedMs: sharedWorkMs });
      // Kept with the result: later estimates learn what a trial of this model costs the sweep as a whole.
      if (result.context) result = { ...result, context: { ...result.context, trialWallMs: wallMs, ...(sharedWorkMs > 0 ? { sharedWorkMs } : {}) } };
      learnSpeeds([result], speeds);
    }
    const earlier = earlierOf.get(spec) ?? [];
    earlierOf.delete(spec);
    const follow = findScenario(spec.scenario)?.followUp?.(spec, result, earlier);
    if (follow?.next) {
      earlierOf.set(follow.next, [...earlier, result]);
      queue.unshift(follow.next);
    }
    // A result read back from an earlier run is kept as it was saved.
    if (follow && !previous) result = follow.result;
    results.push(result);
    if (!previous) await options.onResult?.(result);
  }
  return results;
}
