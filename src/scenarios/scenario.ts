/**
 * The scenario axis: how a trial's queries are issued and what figures it
 * adds. Each scenario is one file behind this interface and one line in
 * registry.ts. Heavy code (a serving loop, an orchestration of several
 * runners) is loaded lazily by the scenario itself, so the registry stays
 * cheap to import from the runner and from the CLI.
 */
import type { ScenarioPart, TrialResult } from '../results/types.js';
import type { TrialSpec } from '../core/trial-spec.js';
import type { HostTensor, LoopMeasurement, Session } from '../runtimes/runtime.js';
import type { LoopHooks } from '../runner/loop.js';
import type { Probe } from '../probes/probe.js';
import type { ModelInfo } from '../engine/model-info.js';
import type { ShapeBindings } from '../engine/shapes.js';

import type { JsonSchema } from '../core/json-schema.js';

export type { JsonSchema };

/** What a scenario measured inside the runner: the samples, and its own figures. */
export interface ScenarioRun {
  measurement: LoopMeasurement;
  figures?: ScenarioPart['figures'];
}

export type TrialPhase = 'starting' | 'loaded' | 'measuring' | 'done';

/** What a scenario that orchestrates from the parent gets. */
export interface ParentRun {
  /** A fresh set of probes for each runner it starts. */
  probes: () => Probe[];
  onPhase: (phase: TrialPhase) => void;
}

/** A model given to a sweep, inspected (hash, inputs, outputs). */
export interface InspectedModel { ref: string; info: ModelInfo }

/** What a scenario that expands its own trials gets (see Scenario.expand). */
export interface ExpandContext {
  /** The request's scenario options, every scenario's key (as in ResolvedOptions). */
  options: Record<string, unknown> | undefined;
  /** The models the request names (MODEL arguments, or a plan entry's models). */
  models: string[];
  /** Resolves (builds zoo models) and inspects model references. */
  inspect(refs: string[]): Promise<InspectedModel[]>;
  /** The usual expansion of this scenario's trials over these models: runtime x provider x settings x batch x repetition. */
  expand(models: InspectedModel[]): Promise<TrialSpec[]>;
  bindings: ShapeBindings;
}

/** A measured speed of one model on one runtime at one batch (the sweep's duration model learns them). */
export interface Speed {
  batchSize: number;
  latencyMs: number;
  loadMs: number;
  /** The counted rate, the first call, the measured window and the sweep's whole time for the trial, where recorded. */
  throughputPerS?: number;
  firstInferenceMs?: number;
  windowMs?: number;
  wallMs?: number;
  /** The part of wallMs spent on the sweep's one-time jobs (a reference run, a baseline runner). */
  sharedMs?: number;
}

/** What the duration model gives a scenario's own estimate (see Scenario.duration). */
export interface DurationContext {
  /** Starting one runner process, ms. */
  startupMs: number;
  /** The measuring window the stopping rule needs at this latency, ms. */
  windowMs(latencyMs: number): number;
  /** One plain trial's time at this speed, after its runner started: load, first run, warm-up, window. */
  plainMs(speed: Speed): number;
}

/** What follows one of a scenario's trials (see Scenario.followUp). */
export interface FollowUp {
  /** The trial to run next, before the rest of the sweep (a batch scan's next step). */
  next?: TrialSpec;
  /** The result as it is saved (a scan's outcome added to its last step). */
  result: TrialResult;
}

export interface Scenario {
  name: string;
  /** One line for --help and `plan --schema`. */
  description: string;
  /**
   * Its options: the key they sit under in a plan entry and in a trial's
   * scenarioOptions, and their JSON Schema (plan files and `plan --schema`).
   */
  options?: {
    key: string;
    schema: JsonSchema;
    /** Its typed options from their plan form, which the schema has checked (durations parsed, defaults filled); `fieldOf` names a key in errors. */
    resolve?(value: Record<string, unknown>, fieldOf: (key: string) => string): unknown;
  };
  /** Where a trial runs: in the runner's loop, or orchestrated by the parent (several runners). */
  runsIn(spec: TrialSpec): 'runner' | 'parent';
  /** Which of the parent's checks apply to its results. */
  checks: { agreement: boolean; efficiency: boolean };
  /** Latency spread is noise to warn about (false where queueing is the point). */
  latencyWarnings: boolean;
  /** `--batch scan` applies to it. */
  batchScan: boolean;
  /**
   * CLI flags of its own: flag name (without --) -> the key of its options
   * schema it sets. Values are checked by that schema, as a plan's are.
   * `positionals` names the key that the MODEL arguments fill (ensemble: members).
   */
  flags?: { [flag: string]: string };
  positionals?: string;
  /**
   * Its trials, where they are not the usual expansion over the models given
   * (ensemble: one trial per configuration over the set of members). Throws
   * InputError for options it cannot expand.
   */
  expand?(ctx: ExpandContext): Promise<TrialSpec[]>;
  /** Asked after each of its trials, with the results of the trials that led to it; the engine runs `next` first. */
  followUp?(spec: TrialSpec, result: TrialResult, earlier: TrialResult[]): FollowUp;
  /**
   * How the sweep's duration model sees its trials; without it, one runner
   * and one plain measuring loop. `learnsSpeed`: its ok results are plain
   * loops whose latency predicts others. `models`: whose speeds predict its
   * trial (ensemble: its members). `predictMs`: its trial's wall time from
   * those speeds at its batch. `windows`: how many measuring windows its
   * trial spans, for the stopping rule's bounds.
   */
  duration?: {
    learnsSpeed?: boolean;
    models?(spec: TrialSpec): string[];
    predictMs?(spec: TrialSpec, speeds: Speed[], ctx: DurationContext): number;
    windows?(spec: TrialSpec): number;
  };
  /** The batch sizes its trials run at, given the requested ones (server: its largest batch). */
  batches?(requested: number[], options: Record<string, unknown> | undefined): number[];
  /** Its own loop inside the runner; without one, the plain measuring loop runs one batch per query. */
  runInRunner?(spec: TrialSpec, session: Session, feeds: Record<string, HostTensor>, hooks: LoopHooks): Promise<ScenarioRun>;
  /** Its orchestration from the parent, when runsIn(spec) is 'parent'. Never throws for a trial. */
  runInParent?(spec: TrialSpec, run: ParentRun): Promise<TrialResult>;
}
