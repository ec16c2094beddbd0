/**
 * The public results format. One TrialResult per JSON Lines record; every
 * field that carries a quantity names its unit. Documented in README.md.
 */

export type TrialStatus = 'ok' | 'failed' | 'skipped';

/** A setting value as given on the command line or in a plan. */
export type SettingValue = string | number | boolean;
export type Settings = Record<string, SettingValue>;

/** Latency statistics over the measured samples, all in milliseconds except `n` and `outliers`. */
export interface LatencySummary {
  median: number;
  mean: number;
  p90: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  stddev: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  /** Lower bound of the 95% confidence interval of the median. */
  ciLow: number;
  /** Upper bound of the 95% confidence interval of the median. */
  ciHigh: number;
  /** Number of measured samples. */
  n: number;
  /** Samples whose modified z-score exceeds 3.5. */
  outliers: number;
}

export type WarningCode =
  | 'not-converged'
  | 'high-variance'
  | 'slow-first-run'
  | 'timer-resolution'
  | 'outliers'
  | 'probe-failed'
  | 'energy-window-short'
  | 'gpu-throttled'
  | 'output-mismatch'
  | (string & {});

/** A warning always names its remedy, like hyperfine's "consider --warmup". */
export interface BenchWarning {
  code: WarningCode;
  message: string;
  remedy: string;
}

export interface ModelRef {
  /** Path as the user gave it (or `zoo:NAME`). */
  path: string;
  /** sha256 of the model file, hex. */
  sha256: string;
  /** Size of the model file in bytes. */
  sizeBytes?: number;
}

export interface MachineContext {
  cpuModel: string;
  /** Logical cores. */
  cpuCores: number;
  memoryBytes: number;
  os: string;
  arch: string;
  hostname: string;
  gpus?: { name: string; driver?: string; memoryBytes?: number }[];
}

/** The browser a page-hosted runtime ran in (host chromium), as the page saw it. */
export interface BrowserContext {
  /** Browser family, e.g. 'chromium'. */
  name: string;
  /** e.g. '131.0.6778.85'. */
  version?: string;
  executablePath?: string;
  /** Command-line flags infermark started the browser with. */
  flags?: string[];
  crossOriginIsolated?: boolean;
  /** The WebGPU adapter in one line (vendor, architecture, device), or why there is none. */
  gpuAdapter?: string;
  /** WebGPU gave only its fallback (software) adapter. */
  isFallbackAdapter?: boolean;
  /** WebGL's unmasked renderer (e.g. 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...))'), or why there is none. */
  webglRenderer?: string;
  /** For a GPU provider (webgl, webgpu): true when the CPU emulated the GPU (SwiftShader, a fallback adapter). */
  softwareGpu?: boolean;
}

export interface TrialContext {
  toolVersion: string;
  nodeVersion: string;
  pythonVersion?: string;
  /** Versions of the runtime's packages, e.g. { 'onnxruntime-node': '1.30.0' }. */
  runtimeVersions: Record<string, string>;
  machine: MachineContext;
  /** A runtime hosted in a browser page: the browser and the GPU it saw. */
  browser?: BrowserContext;
  /** ISO 8601 time the trial started. */
  startedAt: string;
  /** Wall time the sweep spent on the trial: runner, output check, efficiency, saving (duration estimates learn from it). */
  trialWallMs?: number;
  /**
   * The part of trialWallMs spent on work the sweep does once and shares, which this trial was the first to need:
   * the runtime's baseline runner (its own memory) and the reference run its outputs are checked against.
   */
  sharedWorkMs?: number;
}

/** Memory of the runner's process tree, read from /proc by the parent. */
export interface MemoryFigures {
  peakRssBytes: number;
  rssAfterLoadBytes?: number;
  /** RSS of the same runner with no model loaded, measured once per runtime. */
  baselineRssBytes?: number;
  gpuMemoryBytes?: number;
}

/** CPU use of the runner's process tree over the measured window. */
export interface CpuFigures {
  /** CPU seconds over wall seconds: 1.0 means one core fully busy. */
  coresBusy: number;
  cpuTimeS: number;
  windowS: number;
}

export type EnergySource = 'rapl' | 'nvml-energy' | 'nvml-power' | 'nvidia-smi' | 'estimate';

export interface EnergyReading {
  /** Which sensor or model produced it. */
  source: EnergySource;
  /** Where the energy went: cpu package, dram or gpu. */
  domain: 'cpu' | 'dram' | 'gpu';
  energyJ: number;
  /** Energy minus the idle baseline over the same window, when a baseline was measured. */
  dynamicEnergyJ?: number;
  /** For estimates: the model's name and constants. */
  model?: { name: string; constants: Record<string, number> };
}

export interface EnergyFigures {
  readings: EnergyReading[];
  /** Sum of measured (non-estimate) readings; absent when nothing was measured. */
  totalEnergyJ?: number;
  /** Measured energy above the idle baseline (--idle-baseline), summed over the measured domains. */
  dynamicEnergyJ?: number;
  /** Idle power subtracted, watts, summed over the measured domains. */
  baselinePowerW?: number;
  /** Sum of estimate readings, never mixed with measured ones. */
  estimatedEnergyJ?: number;
  averagePowerW?: number;
  energyPerItemJ?: number;
  /** True when every figure above comes from an estimate. */
  estimated: boolean;
  windowS: number;
  /** Why a source is missing, e.g. { rapl: 'no powercap tree: a virtual machine usually has none' }. */
  unavailable?: Record<string, string>;
}

/** A time series sampled during the measured window. `tMs` is relative to the window start. */
export interface TimeSeries {
  name: string;
  unit: string;
  tMs: number[];
  values: number[];
}

export interface ProbeFailure {
  probe: string;
  message: string;
}

/** The version of this format written into every record; version 1 had an untyped `extra` bag. */
export const RESULTS_FORMAT_VERSION = 2;

/** Outputs compared with a reference runtime on the same seeded input (--check-outputs). */
/** A runtime hosted in a browser page (host chromium): the page's own load and the renderer and GPU processes' cost. */
/**
 * How a runtime that converts or compiles the model got it ready (the Python-hosted
 * tensorflow, tvm, openvino): which converter or compiler, whether its cache held the
 * result, and the time each step took in this load.
 */
export interface LoadDetails {
  /** What turned the model into what runs, with its version (e.g. "infermark onnx_to_tf 1", "tvm 0.27 relax llvm"). */
  converter?: string;
  /** hit: the converted or compiled model was read from the cache; miss: it was made in this load. */
  cache?: 'hit' | 'miss';
  /** Conversion time in this load (absent on a cache hit). */
  convertMs?: number;
  /** Compilation time in this load (absent on a cache hit). */
  compileMs?: number;
  /** Schedule tuning: trials measured in this load (0 when the tuning records came from the cache). */
  tuningTrials?: number;
  /** Schedule tuning time in this load, kept apart from loadMs. */
  tuningMs?: number;
}

export interface PageFigures {
  /** Session creation inside the page (model fetch, wasm compile, graph import), ms; part of loadMs. */
  pageLoadMs: number;
  /** Highest sum of the renderer's and GPU process's RSS during the measured window, bytes. */
  rendererGpuPeakRssBytes?: number;
  /** User + system CPU time of the renderer and GPU process during the measured window, s. */
  rendererGpuCpuS?: number;
  /** performance.memory's used JS heap after the loop (JS objects, ArrayBuffers, wasm memory), bytes. */
  jsHeapUsedBytes?: number;
  /** The processes counted, by role (renderer, gpu). */
  processes?: { pid: number; type: string }[];
}

export interface AgreementFigures {
  /** Which runtime and settings produced the reference outputs. */
  reference: string;
  maxAbsError?: number;
  /** max |a - r| / max(|r|, 1e-6) over elements. */
  maxRelError?: number;
  /** Fraction of items whose arg-max class matches, for classifier outputs. */
  top1Agreement?: number;
  withinTolerance?: boolean;
  tolerance?: { absTol: number; relTol: number };
  /** Outputs compared, by name. */
  outputs?: string[];
  /** Why the outputs could not be compared element by element. */
  mismatch?: string;
  /** Why the reference could not run: the outputs are unchecked. */
  error?: string;
}

/** Arithmetic rate reached by an ok trial (--efficiency). */
export interface EfficiencyFigures {
  macsPerItem: number;
  /** 2 x MACs per item x counted items per second, in GFLOP/s (conv/matmul/gemm work only). */
  achievedGflops: number;
  /** The runtime's measured matrix-product peak on this machine, GFLOP/s (src/probes/peak.ts, timed in a runner process). */
  peakGflops?: number;
  /** The 1-minute load average that peak was measured under. */
  peakLoadAvg1?: number;
  /** Cores other processes kept busy while that peak was timed (above 0.25 a warning says it may read low). */
  peakOthersCores?: number;
  /** Which reference that peak is: runtime, provider and thread settings, and the host the GEMM was timed in. */
  peakReference?: string;
  /** achievedGflops / peakGflops: above 1 when the reference was measured low (a warning says so). */
  measuredPeakShare?: number;
  /** Older records' name for measuredPeakShare. */
  peakShare?: number;
  /** The machine's theoretical FP32 peak (src/probes/cpu-peak.ts) and how it was derived. */
  theoreticalPeakGflops?: number;
  theoreticalPeakDerivation?: string;
  /** achievedGflops / theoreticalPeakGflops: never above 1. */
  theoreticalPeakShare?: number;
}

export type ScanStop = 'plateau' | 'memory' | 'failed' | 'bound';

/** The batch scan's outcome, on the scan's last step (offline, or single-stream with --batch scan). */
export interface OfflineFigures {
  batches: number[];
  throughputsPerS: (number | null)[];
  bestBatch: number | null;
  bestThroughputPerS: number | null;
  stoppedBecause: ScanStop;
  /** Why, in words a user can act on. */
  detail: string;
}

/** One arrival rate the server scenario tried. */
export interface RateAttempt {
  ratePerS: number;
  p50Ms: number;
  p99Ms: number;
  /** Queries completed over the span from the first arrival to the last completion. */
  achievedPerS: number;
  /** achievedPerS's numerator and denominator (absent in older records). */
  completed?: number;
  spanS?: number;
  /** A first try whose result broke monotonicity with the other rates; it was run again and is left out of the search. */
  retried?: boolean;
  /** Mean time from arrival to the start of the query's batch. */
  meanQueueMs: number;
  meanBatch: number;
  /** Kept up (achieved within 5% of offered) and, with a bound, within the p99 bound. */
  held: boolean;
}

/** One point of the rate -> latency curve. */
export interface RatePoint { ratePerS: number; p50Ms: number; p99Ms: number; achievedPerS: number; held: boolean }

export interface ServerFigures {
  /** The offered rate whose latencies are the trial's samples. */
  ratePerS: number;
  /** Queries completed at that rate over first arrival -> last completion: the trial's throughputPerS. */
  achievedPerS?: number;
  p99BoundMs: number | null;
  maxBatch: number;
  maxWaitMs: number;
  serviceMsAtMaxBatch: number;
  /** Some rate tried was held. */
  held: boolean;
  /** The held rate: the highest offered rate whose p99 held and whose achieved rate was within 5% of it. */
  maxRatePerS: number | null;
  highestAchievedPerS: number;
  attempts: RateAttempt[];
  /** Rate -> p50, p99 and achieved, by offered rate (retried first tries left out). */
  curve?: RatePoint[];
}

export interface EnsembleMemberFigures {
  model: string;
  coLocatedMedianMs: number;
  aloneMedianMs: number;
  /** This member's co-located calls, ms on the time axis all members share (0 = the earliest call's start). */
  calls?: { startMs: number[]; endMs: number[] };
  /** Items this member completed inside the common window (absent in older records). */
  coLocatedItems?: number;
  /** Its items in the common window over that window; alone: its counted throughput measured alone. */
  coLocatedPerS: number;
  alonePerS: number;
  /** Co-located median over alone median: what sharing the device costs this member. */
  slowdown: number;
}

/** The members' figures, shared by both ensemble modes. */
export interface EnsembleTotals {
  members: EnsembleMemberFigures[];
  /** The span in which every member was measuring (absent in older records), and its ends on the members' time axis. */
  commonWindowS?: number;
  commonWindowMs?: { startMs: number; endMs: number };
  /** All members' items completed inside the common window. */
  itemsCompletedTogether?: number;
  /** itemsCompletedTogether / commonWindowS: items of any member per second, all running together. */
  aggregateCoLocatedPerS: number;
  /** The same members run one after another: k / sum(1 / counted throughput alone). */
  aggregateSequentialPerS: number;
  /** Co-located aggregate over sequential: above 1, co-location pays. */
  speedup: number;
}

/** The ensemble's prediction checked against its members. */
export interface EnsembleCheck {
  shape: number[];
  finite: boolean;
  /** Every mean value lies between the smallest and largest member value at that position. */
  withinMemberRange: boolean;
  /** Per member: the fraction of items whose arg-max class equals the ensemble's. */
  top1AgreementWithMembers: number[];
}

export interface EnsembleFigures extends EnsembleTotals {
  /** Members as sessions of one runner, or as runners of their own. */
  mode: 'sessions' | 'processes';
  prediction: EnsembleCheck | { error: string };
  /** The batch scan's outcome, when the ensemble's batch was scanned. */
  scan?: OfflineFigures;
}

/** The scenarios whose figures this format knows; the union below is discriminated by it. */
export type ScenarioName = 'single-stream' | 'offline' | 'server' | 'ensemble';

/** A scenario and the figures it adds to a result. */
export type ScenarioPart =
  | { scenario: 'single-stream'; figures?: OfflineFigures }
  | { scenario: 'offline'; figures?: OfflineFigures }
  | { scenario: 'server'; figures?: ServerFigures }
  | { scenario: 'ensemble'; figures?: EnsembleFigures };

/** The figures type of one scenario. */
export type FiguresOf<S extends ScenarioName> = NonNullable<Extract<ScenarioPart, { scenario: S }>['figures']>;

export interface TrialBase {
  /** RESULTS_FORMAT_VERSION; absent in records of version 1. */
  formatVersion?: typeof RESULTS_FORMAT_VERSION;
  status: TrialStatus;
  /** Stable identity of the trial: model hash, runtime, provider, settings, batch, scenario, shapes. */
  key: string;
  runtime: string;
  provider: string;
  settings: Settings;
  batchSize: number;
  model: ModelRef;
  /** Shapes of the inputs fed, by input name. */
  inputShapes?: Record<string, number[]>;
  /** Repetition index when a trial is repeated in fresh processes (0-based). */
  repetition?: number;
  warnings: BenchWarning[];
  context?: TrialContext;
  /** Outputs compared with the reference (--check-outputs). */
  agreement?: AgreementFigures;
}

export interface CompileFigures {
  coldMs: number;
  warmMs?: number;
}

export interface OkFields extends TrialBase {
  status: 'ok';
  latencyMs: LatencySummary;
  /**
   * Items (batch elements) completed in the measured window over the window's wall
   * time: counted, never inferred from a latency (server: queries completed from the
   * first arrival to the last completion).
   */
  throughputPerS: number;
  /** The numerator and denominator of throughputPerS (absent in records before they were kept). */
  itemsCompleted?: number;
  countedWindowS?: number;
  /** Per-call figure: batch x 1000 / median latency. Above throughputPerS whenever latency has a tail. */
  perCallItemsPerS?: number;
  /** Session creation time. */
  loadMs: number;
  /** 'cold' or 'warm' when the runtime has a load cache. */
  loadKind?: 'cold' | 'warm';
  /**
   * A runtime that compiles on the first call (torch mode compile): that first call's wall time with
   * empty caches (coldMs), and again after a reset with the caches the first one filled (warmMs),
   * each including one inference. firstInferenceMs then includes the cold compile.
   */
  compile?: CompileFigures;
  /** Converter or compiler facts of this load (Python-hosted runtimes). */
  loadDetails?: LoadDetails;
  /** A runtime hosted in a browser page: what its page and the browser's processes cost. */
  page?: PageFigures;
  /** The very first inference after load, not part of the samples. */
  firstInferenceMs: number;
  warmupRuns: number;
  converged: boolean;
  /** Cost of reading the clock twice, subtracted from nothing, reported so figures can be read against it. */
  timerOverheadMs: number;
  /** Smallest non-zero step of the clock. */
  timerResolutionMs: number;
  /** Time the probes' own upkeep took during the measured window. */
  probeOverheadMs?: number;
  /** Wall time of the measured window. */
  measuredS: number;
  /** The raw latency samples, in measurement order. */
  samplesMs: number[];
  /** Each measured call's start and end, ms from the window's start (the raw record the audit recomputes every rate from). */
  calls?: { startMs: number[]; endMs: number[] };
  /** The window's start on the wall clock, ms since the epoch: lines up the windows of runners measured together. */
  windowStartEpochMs?: number;
  cpu?: CpuFigures;
  memory?: MemoryFigures;
  energy?: EnergyFigures;
  series?: TimeSeries[];
  probeFailures?: ProbeFailure[];
  /** Cores requested with --cpus and the cores the runner's threads actually ran on while measuring. */
  affinity?: { requested?: number[]; observed: number[] };
  /** MACs per item, achieved GFLOP/s and the share of the peak (--efficiency). */
  efficiency?: EfficiencyFigures;
}

export type FailureKind = 'crash' | 'signal' | 'timeout' | 'oom' | 'error' | 'protocol';

export interface FailedFields extends TrialBase {
  status: 'failed';
  error: { kind: FailureKind; message: string; stderrTail?: string; exitCode?: number | null; signal?: string | null };
}

export interface SkippedFields extends TrialBase {
  status: 'skipped';
  reason: string;
}

export type OkTrial = OkFields & ScenarioPart;
export type FailedTrial = FailedFields & ScenarioPart;
export type SkippedTrial = SkippedFields & ScenarioPart;
export type TrialResult = OkTrial | FailedTrial | SkippedTrial;
