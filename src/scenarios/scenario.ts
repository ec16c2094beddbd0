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

export interface Scenario {
  name: string;
  /** One line for --help and `plan --schema`. */
  description: string;
  /**
   * Its options: the key they sit under in a plan entry and in a trial's
   * scenarioOptions, and their JSON Schema (plan files and `plan --schema`).
   */
  options?: { key: string; schema: JsonSchema };
  /** Where a trial runs: in the runner's loop, or orchestrated by the parent (several runners). */
  runsIn(spec: TrialSpec): 'runner' | 'parent';
  /** Which of the parent's checks apply to its results. */
  checks: { agreement: boolean; efficiency: boolean };
  /** Latency spread is noise to warn about (false where queueing is the point). */
  latencyWarnings: boolean;
  /** `--batch scan` applies to it. */
  batchScan: boolean;
  /** The batch sizes its trials run at, given the requested ones (server: its largest batch). */
  batches?(requested: number[], options: Record<string, unknown> | undefined): number[];
  /** Its own loop inside the runner; without one, the plain measuring loop runs one batch per query. */
  runInRunner?(spec: TrialSpec, session: Session, feeds: Record<string, HostTensor>, hooks: LoopHooks): Promise<ScenarioRun>;
  /** Its orchestration from the parent, when runsIn(spec) is 'parent'. Never throws for a trial. */
  runInParent?(spec: TrialSpec, run: ParentRun): Promise<TrialResult>;
}
