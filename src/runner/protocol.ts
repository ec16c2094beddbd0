/**
 * Messages between the parent and a runner child over Node's IPC channel
 * (advanced serialisation, so typed arrays cross as they are).
 */
import type { TrialSpec } from '../core/trial-spec.js';
import type { LoopMeasurement, SessionOptions } from '../runtimes/runtime.js';
import type { PeakGemm } from '../probes/peak.js';
import type { BrowserContext, CompileFigures, LoadDetails, PageFigures, ScenarioPart } from '../results/types.js';

export type ToRunner =
  /** With `barrier`, the runner waits for 'go' after loading, so co-located runners start measuring together. */
  /** `scenarioModule`: what to import for a scenario registered at run time (scenarios/registry.ts). */
  | { type: 'trial'; spec: TrialSpec; barrier?: boolean; scenarioModule?: string }
  | { type: 'go' }
  /** Load, run the seeded input once, write the outputs to spec.outputsPath, and exit: a reference run. */
  | { type: 'outputs'; spec: TrialSpec }
  /** Load only the runtime's package and wait: the runner's own memory baseline. */
  | { type: 'idle'; runtime: string }
  /** Time an n x n matrix product with these session options, in this fresh process, and report the GFLOP/s. */
  | { type: 'peak'; runtime: string; options: SessionOptions; gemm: PeakGemm };

export interface RunnerResult extends LoopMeasurement {
  loadMs: number;
  runtimeVersions: Record<string, string>;
  /** 'cold' or 'warm' when the runtime has a load cache. */
  loadKind?: 'cold' | 'warm';
  /** Compile-on-first-call times, cold and warm (torch mode compile). */
  compile?: CompileFigures;
  /** Converter or compiler facts of the load. */
  loadDetails?: LoadDetails;
  /** A browser-hosted runtime's page figures. */
  page?: PageFigures;
  /** A browser-hosted runtime's browser, for the result's context. */
  browser?: BrowserContext;
  /** Inputs as the runtime declared them, for the record. */
  inputShapes: Record<string, number[]>;
  /** Cores the runner's threads ran on during the measured window (field 39 of each /proc/self/task/TID/stat). */
  coresUsed?: number[];
  /** Why pinning to --cpus failed. */
  pinError?: string;
  /** Figures a scenario adds (queueing, batches formed, ...). */
  figures?: ScenarioPart['figures'];
}

export type FromRunner =
  | { type: 'ready' }
  | { type: 'loaded'; loadMs: number }
  | { type: 'window-start' }
  | { type: 'window-end' }
  /** The measuring still to come needs this long: the trial's timeout is extended to allow it. */
  | { type: 'planned'; ms: number }
  | { type: 'result'; result: RunnerResult }
  /** othersCores: cores other processes kept busy while the GEMM was timed (src/probes/cpu-contention.ts). */
  | { type: 'peak'; gflops: number; othersCores?: number }
  | { type: 'error'; message: string; stack?: string };
