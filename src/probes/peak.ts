/**
 * A runtime's practical arithmetic peak on this machine: the GFLOP/s it
 * reaches on a large float32 matrix product (a chain of them on a GPU),
 * through the same Runtime interface the benchmarks use. Cached per runtime, provider and thread
 * settings with the load average it was measured under, and measured again
 * when the load now differs from it, or when other processes took a share
 * of the CPU while it was timed (the load average misses a short burst).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import type { HostTensor } from '../core/tensors.js';
import type { SettingValue, Settings } from '../results/types.js';
import type { LoopMeasurement, Runtime, RuntimeHost, Session, SessionOptions, StoppingRule } from '../runtimes/runtime.js';
import { createPrng } from '../random/prng.js';
import { GraphBuilder } from '../onnx/builder.js';
import { defaultCacheRoot } from '../zoo/resolve.js';
import { CONTENDED_CORES, watchingOthers } from './cpu-contention.js';
import { machineGpuPeak, runsOnGpu } from './gpu-peak.js';

/** The GEMM a peak is timed on: `chain` products of n x n matrices, each feeding the next. */
export interface PeakGemm { n: number; chain: number }

/** 1024^3 MACs: tens of milliseconds per run on two cores, large enough to be compute-bound. */
export const CPU_GEMM: PeakGemm = { n: 1024, chain: 1 };
/**
 * A GPU does one 1024^2 product in well under a millisecond, less than its launches and copies take:
 * 16 products of 4096^2 (2.2 TFLOP, tens of milliseconds on a data-centre GPU) per call, on an input
 * that crosses to the GPU once.
 */
export const GPU_GEMM: PeakGemm = { n: 4096, chain: 16 };

/** The GEMM for a provider: the GPU one where the provider runs on a GPU that NVML lists. */
export function peakGemmFor(provider: string): PeakGemm {
  return runsOnGpu(provider) && machineGpuPeak() ? GPU_GEMM : CPU_GEMM;
}

export function gemmFlops(g: PeakGemm): number {
  return 2 * g.chain * g.n ** 3;
}

function gemmText(g: PeakGemm): string {
  return g.chain === 1 ? `a ${g.n}x${g.n} MatMul` : `a chain of ${g.chain} ${g.n}x${g.n} MatMuls`;
}

const WARMUP_RUNS = 2;
const MIN_TIMED_RUNS = 3;
const MAX_TIMED_RUNS = 10;
/** Stop timing after this long once MIN_TIMED_RUNS are done. */
const TIMED_BUDGET_MS = 1500;
const CACHE_FILE = 'peak-gflops.json';

export interface CacheEntry {
  gflops: number;
  matrixSize: number;
  /** Products in the chain (GPU_GEMM); absent: one. */
  chain?: number;
  measuredAt: string;
  /** The 1-minute load average it was measured under: a peak measured on a busy machine is low. */
  loadAvg1?: number;
  /**
   * Where the GEMM ran and was timed: the runtime's own host (this Node runner, its Python worker,
   * its Chromium page). Entries without it were timed around run() from the runner, across the
   * host's pipe, and are measured again.
   */
  timedIn?: RuntimeHost;
  /** Cores other processes kept busy while it was timed; above CONTENDED_CORES, or not recorded, the entry is measured again. */
  othersCores?: number;
}

/** Re-measure when the load differs from the stored one by more than this (absolute, or a quarter of it). */
const LOAD_TOLERANCE = 0.5;

/** Pure: a cached peak stands only if it was measured under about the load there is now. */
export function loadMatches(stored: number | undefined, now: number): boolean {
  if (stored === undefined) return false;
  return Math.abs(stored - now) <= Math.max(LOAD_TOLERANCE, 0.25 * stored);
}

/** A timed GEMM: its rate, and the cores other processes kept busy meanwhile (unknown without /proc). */
export interface PeakTiming { gflops: number; othersCores?: number }

/** Measures the peak GFLOP/s of a runtime; the sweep passes one that runs it in a runner process. */
export type PeakMeasurer = (runtime: Runtime, options: SessionOptions, gemm: PeakGemm) => Promise<PeakTiming>;

function randomMatrix(n: number, seed: number, half = 1): HostTensor {
  const prng = createPrng(seed);
  return { dtype: 'float32', shape: [n, n], data: Float32Array.from({ length: n * n }, () => prng.uniform(-half, half)) };
}

export function peakModelBytes(gemm: PeakGemm = CPU_GEMM): Uint8Array {
  const { n, chain } = gemm;
  const g = new GraphBuilder('peak_matmul');
  const a = g.input('a', 'float32', [n, n]);
  // Entries of b in +-sqrt(3/n) have variance 1/n: each product keeps its input's scale, so a chain
  // neither overflows nor underflows into denormals, which some hardware computes slowly.
  const b = g.initializer('b', randomMatrix(n, 2, chain === 1 ? 1 : Math.sqrt(3 / n)));
  let x = a;
  for (let i = 0; i < chain; i++) x = g.node('MatMul', [x, b], {}, { outputs: [i === chain - 1 ? 'y' : `p${i}`] });
  g.output(x, 'float32', [n, n]);
  return g.toBytes({ opset: 13 });
}

/** A trial's thread-count settings: every setting whose name says thread, by name. */
export function threadSettings(settings: Settings): [string, SettingValue][] {
  return Object.entries(settings).filter(([k]) => /thread/i.test(k)).sort(([a], [b]) => a.localeCompare(b));
}

/** The cache key: runtime, provider and every thread-count setting (other settings do not change the peak much). */
export function peakCacheKey(runtime: Pick<Runtime, 'name'>, options: SessionOptions): string {
  const threads = threadSettings(options.settings ?? {}).map(([k, v]) => `${k}=${v}`);
  return [runtime.name, options.provider, ...(threads.length ? threads : ['threads=default'])].join('|');
}

async function readCache(path: string): Promise<Record<string, CacheEntry>> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8'));
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {}; // missing or damaged: measure again
  }
}

async function writeCache(path: string, cache: Record<string, CacheEntry>): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(cache, null, 2)}\n`);
  await rename(tmp, path);
}

/**
 * The stopping rule a session's own loop times the GEMM with: the same warm-up and run counts as
 * the loop below, no early stop on the CI (the best run is what counts, not the median). A runtime
 * whose GEMM takes seconds (TVM's untuned schedules) warms up once and is timed once past the budget.
 */
export const PEAK_RULE: StoppingRule = {
  warmupRuns: WARMUP_RUNS, warmupMaxMs: 1000, minSamples: MIN_TIMED_RUNS, minTimeMs: 0,
  maxTimeMs: TIMED_BUDGET_MS, targetCiRel: 0, maxSamples: MAX_TIMED_RUNS,
};

/** The GEMM's FLOP rate from a loop's record: the best call, or all calls over the window when they overlapped (an async loop). Pure. */
export function gflopsOfLoop(m: Pick<LoopMeasurement, 'samplesMs' | 'measuredS'>, gemm: PeakGemm): number {
  const flops = gemmFlops(gemm);
  const bestMs = Math.min(...m.samplesMs);
  const best = bestMs > 0 ? flops / (bestMs * 1e6) : 0;
  const counted = m.measuredS > 0 ? (m.samplesMs.length * flops) / (m.measuredS * 1e9) : 0;
  return Math.max(best, counted);
}

/** The GEMM's FLOP rate on a loaded session: its own loop where it has one, else the best of timed run() calls. */
async function timeLoaded(session: Session, prepared: unknown, gemm: PeakGemm): Promise<number> {
  if (session.measureLoop) return gflopsOfLoop(await session.measureLoop(prepared, PEAK_RULE), gemm);
  for (let i = 0; i < WARMUP_RUNS; i++) await session.run(prepared);
  let bestNs = Infinity;
  const started = process.hrtime.bigint();
  for (let i = 0; i < MAX_TIMED_RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(prepared);
    const ns = Number(process.hrtime.bigint() - t0);
    bestNs = Math.min(bestNs, ns);
    if (i + 1 >= MIN_TIMED_RUNS && Number(process.hrtime.bigint() - started) / 1e6 > TIMED_BUDGET_MS) break;
  }
  // The best run is the one least disturbed by other work: the closest to the machine's limit.
  return gemmFlops(gemm) / bestNs;
}

/**
 * Times the GEMM where the runtime's own calls run, watching what other processes took meanwhile. A
 * session with its own loop (a Python worker, a Chromium page) times it there, as it times a trial:
 * around run() here, the 4 MB input and output crossing a pipe or CDP would be counted as compute and
 * the reference would read low. Only the timing is watched, before the session ends: a closing browser
 * leaves its renderers to init, and their CPU time would read as other processes'.
 */
export async function measureMatmulPeak(runtime: Runtime, options: SessionOptions, gemm: PeakGemm): Promise<PeakTiming> {
  const session = await runtime.createSession({ bytes: peakModelBytes(gemm) }, options);
  try {
    const prepared = session.prepare({ a: randomMatrix(gemm.n, 1) });
    const { value: gflops, othersCores } = await watchingOthers(() => timeLoaded(session, prepared, gemm));
    return othersCores === undefined ? { gflops } : { gflops, othersCores };
  } finally {
    await session.dispose();
  }
}

/** The GEMM's FLOP rate alone (measureMatmulPeak without what other processes took). */
export async function timeMatmul(runtime: Runtime, options: SessionOptions, gemm: PeakGemm): Promise<number> {
  return (await measureMatmulPeak(runtime, options, gemm)).gflops;
}

export interface MeasuredPeak {
  gflops: number;
  /** Cores other processes kept busy while it was timed, where known. */
  othersCores?: number;
  cached: boolean;
  loadAvg1: number;
  /** The cache key the figure is stored under (runtime, provider, thread settings). */
  key: string;
  /** Where the GEMM ran and was timed. */
  timedIn: RuntimeHost;
  gemm: PeakGemm;
}

/** Pure: other processes took enough CPU while this was timed to pull it down. */
export function contended(t: { othersCores?: number }): boolean {
  return t.othersCores !== undefined && t.othersCores > CONTENDED_CORES;
}

/** Pure: a stored entry was timed with other processes watched, and nothing else took the CPU (older entries were not watched). */
function quietlyTimed(hit: CacheEntry): boolean {
  return hit.othersCores !== undefined && !contended(hit);
}

/** Pure: a stored entry was timed on this GEMM. */
function sameGemm(hit: CacheEntry, gemm: PeakGemm): boolean {
  return hit.matrixSize === gemm.n && (hit.chain ?? 1) === gemm.chain;
}

/**
 * Pure: a stored peak stands for this runtime only if it was timed in the runtime's own host, on this
 * GEMM, under about this load, with no other work beside it (an entry from before that was
 * watched is timed again: the load average let a compiler on one of two cores halve one).
 */
export function cachedPeakStands(hit: CacheEntry | undefined, host: RuntimeHost, loadAvg1: number, gemm: PeakGemm = CPU_GEMM): hit is CacheEntry {
  return hit !== undefined && sameGemm(hit, gemm) && hit.gflops > 0 && hit.timedIn === host && loadMatches(hit.loadAvg1, loadAvg1) && quietlyTimed(hit);
}

export async function measurePeakGflops(
  runtime: Runtime, options: SessionOptions, cacheDir?: string, measure: PeakMeasurer = measureMatmulPeak,
  gemm: PeakGemm = peakGemmFor(options.provider),
): Promise<MeasuredPeak> {
  const dir = cacheDir ?? defaultCacheRoot();
  const path = join(dir, CACHE_FILE);
  const key = peakCacheKey(runtime, options);
  const hit = (await readCache(path))[key];
  const loadAvg1 = loadavg()[0];
  const timedIn = runtime.host;
  if (cachedPeakStands(hit, timedIn, loadAvg1, gemm)) {
    return { gflops: hit.gflops, cached: true, loadAvg1: hit.loadAvg1!, key, timedIn, gemm, ...(hit.othersCores !== undefined ? { othersCores: hit.othersCores } : {}) };
  }
  let timing = await measure(runtime, options, gemm);
  if (contended(timing)) {
    // Timed beside other work: once more. A quiet timing is the one to trust; when both were contended,
    // the faster (other work only ever pulls it down).
    const again = await measure(runtime, options, gemm);
    if (!contended(again) || again.gflops > timing.gflops) timing = again;
  }
  const { gflops } = timing;
  const others = timing.othersCores !== undefined ? { othersCores: timing.othersCores } : {};
  await mkdir(dir, { recursive: true });
  // Read again just before writing: another process may have added its own keys meanwhile.
  const cache = await readCache(path);
  cache[key] = { gflops, matrixSize: gemm.n, ...(gemm.chain === 1 ? {} : { chain: gemm.chain }), measuredAt: new Date().toISOString(), loadAvg1, timedIn, ...others };
  await writeCache(path, cache);
  return { gflops, cached: false, loadAvg1, key, timedIn, gemm, ...others };
}

/** How a result names its measured reference: the cache key and where the GEMM was timed. */
export function peakReferenceText(p: Pick<MeasuredPeak, 'key' | 'timedIn' | 'gemm'>): string {
  const where = { node: 'the Node runner', python: 'its Python worker', chromium: 'its Chromium page' }[p.timedIn];
  return `${p.key}, ${gemmText(p.gemm)} timed in ${where}`;
}

/**
 * The stored peak of a runtime with these settings, whatever the load it was measured under (a caller
 * scales by it); nothing is measured. An older entry that recorded neither its host nor its load is
 * not used: timed around run() under an unknown load, it can be several times too low. Nor is one
 * timed beside other work, or without watching for it.
 */
export async function storedPeak(runtimeName: string, options: SessionOptions, cacheDir?: string): Promise<CacheEntry | undefined> {
  const hit = (await readCache(join(cacheDir ?? defaultCacheRoot(), CACHE_FILE)))[peakCacheKey({ name: runtimeName }, options)];
  const complete = hit && hit.gflops > 0 && sameGemm(hit, peakGemmFor(options.provider)) && hit.timedIn !== undefined && hit.loadAvg1 !== undefined && quietlyTimed(hit);
  return complete ? hit : undefined;
}
