/**
 * The embedded defaults: what `infermark run` does with no model. A real
 * network from the zoo (built locally, nothing downloaded) on every runtime
 * infermark knows, at batch 1 and 8: a few minutes on a 2-core machine.
 * A runtime that cannot run here is recorded as skipped, with the reason.
 */
import type { BenchmarkOptions } from './benchmark-options.js';
import { runtimeNames } from '../runtimes/registry.js';

export const DEFAULT_MODEL = 'zoo:mobilenetv2';

export function defaultBenchmark(): BenchmarkOptions {
  return {
    model: [DEFAULT_MODEL],
    runtimes: runtimeNames().filter((r) => r !== 'fake'),
    batchSizes: [1, 8],
  };
}
