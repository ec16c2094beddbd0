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

export interface TrialContext {
  toolVersion: string;
  nodeVersion: string;
  pythonVersion?: string;
  /** Versions of the runtime's packages, e.g. { 'onnxruntime-node': '1.30.0' }. */
  runtimeVersions: Record<string, string>;
  machine: MachineContext;
  /** ISO 8601 time the trial started. */
  startedAt: string;
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

interface TrialBase {
  status: TrialStatus;
  /** Stable identity of the trial: model hash, runtime, provider, settings, batch, scenario, shapes. */
  key: string;
  runtime: string;
  provider: string;
  settings: Settings;
  batchSize: number;
  scenario: string;
  model: ModelRef;
  /** Shapes of the inputs fed, by input name. */
  inputShapes?: Record<string, number[]>;
  /** Repetition index when a trial is repeated in fresh processes (0-based). */
  repetition?: number;
  warnings: BenchWarning[];
  context?: TrialContext;
  /** Extra per-scenario or per-issue data (efficiency, agreement, scenario figures). */
  extra?: Record<string, unknown>;
}

export interface OkTrial extends TrialBase {
  status: 'ok';
  latencyMs: LatencySummary;
  /** Items (batch elements) per second, derived from the median latency. */
  throughputPerS: number;
  /** Session creation time. */
  loadMs: number;
  /** The very first inference after load, not part of the samples. */
  firstInferenceMs: number;
  warmupRuns: number;
  converged: boolean;
  /** Cost of reading the clock twice, subtracted from nothing, reported so figures can be read against it. */
  timerOverheadMs: number;
  /** Smallest non-zero step of the clock. */
  timerResolutionMs: number;
  /** Wall time of the measured window. */
  measuredS: number;
  /** The raw latency samples, in measurement order. */
  samplesMs: number[];
  cpu?: CpuFigures;
  memory?: MemoryFigures;
  energy?: EnergyFigures;
  series?: TimeSeries[];
  probeFailures?: ProbeFailure[];
}

export type FailureKind = 'crash' | 'signal' | 'timeout' | 'oom' | 'error' | 'protocol';

export interface FailedTrial extends TrialBase {
  status: 'failed';
  error: { kind: FailureKind; message: string; stderrTail?: string; exitCode?: number | null; signal?: string | null };
}

export interface SkippedTrial extends TrialBase {
  status: 'skipped';
  reason: string;
}

export type TrialResult = OkTrial | FailedTrial | SkippedTrial;
