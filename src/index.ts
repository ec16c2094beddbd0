/** infermark's public library API: re-exports only. */
export { load, type LoadOptions, type Model } from './api/load.js';
export { benchmark, estimateDuration, sweep, type BenchmarkRunOptions, type BenchmarkOutcome, type DurationEstimate } from './api/benchmark.js';
export type { BenchmarkOptions } from './api/options.js';
export type * from './results/types.js';
export type { DType, ElementType, HostTensor, StringTensor, Tensor, TensorInfo, Runtime, Session, SettingSpec, StoppingRule } from './runtimes/runtime.js';
export { runtimeNames, runtimeStatus } from './runtimes/registry.js';
export { InputError } from './errors/input-error.js';
export { readJsonl } from './results/jsonl.js';
export { migrateResult } from './results/migrate.js';
export { registerScenario, scenarioNames } from './scenarios/registry.js';
export type { Scenario, ScenarioRun, ParentRun } from './scenarios/scenario.js';
export type { Launcher, LaunchOptions } from './launchers/launcher.js';
export { createLauncher, launcherNames } from './launchers/registry.js';
