/**
 * MLPerf-style server scenario, inside the runner: queries arrive as a
 * seeded Poisson process and are batched up to maxBatch, waiting at most
 * maxWaitMs for a batch to fill. A query's latency counts from its arrival,
 * so queueing is included. With a p99 bound and no fixed rate, a bisection
 * finds the highest rate whose p99 stays within the bound.
 */
import type { RateAttempt, ServerFigures } from '../results/types.js';
import type { HostTensor, Session } from '../runtimes/runtime.js';
import type { TrialSpec } from '../core/trial-spec.js';
import type { LoopHooks } from '../runner/loop.js';
import type { ScenarioRun } from './scenario.js';
import type { ServerOptions } from './server.js';
import { epochMs, nowMs, measureClock } from '../runner/clock.js';
import { poissonArrivalsMs } from './arrivals.js';
import { firstRows } from './rows.js';
import { quantile } from '../stats/index.js';

export type { RateAttempt } from '../results/types.js';

async function waitUntil(targetMs: number): Promise<void> {
  // setTimeout is coarse; sleep most of the way, then spin for the last millisecond.
  const remaining = targetMs - nowMs();
  if (remaining > 2) await new Promise((r) => setTimeout(r, remaining - 1.5));
  while (nowMs() < targetMs) { /* precise wait */ }
}

export interface ServeResult {
  latenciesMs: number[];
  queueMs: number[];
  batchSizes: number[];
  /** Each query's arrival and completion, ms from the attempt's start, in the order served. */
  arrivalMs: number[];
  completionMs: number[];
  /** From the first arrival to the last completion: the span the achieved rate is counted over. */
  spanS: number;
}

export async function serve(
  run: (n: number) => Promise<unknown>, arrivalsMs: number[], maxBatch: number, maxWaitMs: number,
): Promise<ServeResult> {
  const start = nowMs();
  const latenciesMs: number[] = [];
  const queueMs: number[] = [];
  const batchSizes: number[] = [];
  const arrivalMs: number[] = [];
  const completionMs: number[] = [];
  const queue: number[] = [];
  let next = 0;
  while (latenciesMs.length < arrivalsMs.length) {
    const t = nowMs() - start;
    while (next < arrivalsMs.length && arrivalsMs[next] <= t) queue.push(arrivalsMs[next++]);
    if (queue.length === 0) {
      await waitUntil(start + arrivalsMs[next]);
      continue;
    }
    if (queue.length < maxBatch && next < arrivalsMs.length) {
      const deadline = queue[0] + maxWaitMs;
      if (t < deadline) {
        await waitUntil(start + Math.min(deadline, arrivalsMs[next]));
        continue;
      }
    }
    const batch = queue.splice(0, maxBatch);
    const begin = nowMs() - start;
    await run(batch.length);
    const done = nowMs() - start;
    batchSizes.push(batch.length);
    for (const a of batch) {
      latenciesMs.push(done - a);
      queueMs.push(begin - a);
      arrivalMs.push(a);
      completionMs.push(done);
    }
  }
  const first = Math.min(...arrivalMs);
  const last = Math.max(...completionMs);
  return { latenciesMs, queueMs, batchSizes, arrivalMs, completionMs, spanS: (last - first) / 1000 };
}

/** A rate is held only when the server kept up: achieved within this share of the offered rate. */
export const ACHIEVED_TOLERANCE = 0.05;

/** Pure: one attempt's figures, counted from its queries' arrivals and completions. */
export function summarizeAttempt(ratePerS: number, r: ServeResult, p99BoundMs: number | undefined): RateAttempt {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  const p99Ms = quantile(sorted, 0.99);
  const achievedPerS = r.spanS > 0 ? r.latenciesMs.length / r.spanS : 0;
  const keptUp = achievedPerS >= (1 - ACHIEVED_TOLERANCE) * ratePerS;
  const held = keptUp && (p99BoundMs === undefined || p99Ms <= p99BoundMs);
  return {
    ratePerS, p50Ms: quantile(sorted, 0.5), p99Ms, achievedPerS,
    completed: r.latenciesMs.length, spanS: r.spanS,
    meanQueueMs: r.queueMs.reduce((a, b) => a + b, 0) / r.queueMs.length,
    meanBatch: r.batchSizes.reduce((a, b) => a + b, 0) / r.batchSizes.length,
    held,
  };
}

/**
 * An attempt breaks monotonicity when a lower offered rate fared worse than a higher one
 * (held at the higher rate but not at the lower, or a p99 more than twice the higher rate's):
 * a burst of load from elsewhere, not the server's behaviour.
 */
export function breaksMonotonicity(a: RateAttempt, others: RateAttempt[]): boolean {
  return others.some((o) => {
    const [lo, hi] = a.ratePerS < o.ratePerS ? [a, o] : [o, a];
    if (lo.ratePerS === hi.ratePerS) return false;
    return (hi.held && !lo.held) || lo.p99Ms > 2 * hi.p99Ms;
  });
}

/** Bisection steps of the rate search: each halves the bracket. */
export const SEARCH_STEPS = 6;

/**
 * The search never offers less than this share of the measured capacity. An attempt lasts
 * queries / rate, so every halving doubles it; a bound missed at a sixteenth of capacity is a
 * bound the service time itself misses (queueing is small there), and going lower only costs time.
 */
export const LOWEST_RATE_SHARE = 1 / 16;

/** Pure: the time the attempts of a trial need at worst, given the capacity seen: the trial's timeout must allow it. */
export function plannedServeMs(o: ServerOptions, capacityPerS: number): number {
  const rates = o.ratePerS !== undefined ? [o.ratePerS]
    : Array.from({ length: SEARCH_STEPS }, (_, i) => Math.max(capacityPerS * 0.5 / 2 ** i, capacityPerS * LOWEST_RATE_SHARE));
  // Each attempt may be retried once; the lowest rate may be tried again at the end.
  return 2 * rates.reduce((ms, r) => ms + (o.queries / r) * 1000, 0) + (o.queries / Math.min(...rates)) * 1000;
}

export async function runServerScenario(
  spec: TrialSpec, session: Session, feeds: Record<string, HostTensor>, hooks: LoopHooks,
): Promise<ScenarioRun> {
  const o = spec.scenarioOptions?.server as ServerOptions;
  const preparedBySize = new Map<number, unknown>();
  const run = (n: number) => {
    let p = preparedBySize.get(n);
    if (p === undefined) { p = session.prepare(firstRows(feeds, n)); preparedBySize.set(n, p); }
    return session.run(p);
  };
  const clock = measureClock();
  let t0 = nowMs();
  await run(1);
  const firstInferenceMs = nowMs() - t0;
  // A rough service time bounds the search: no single worker can serve faster than batches complete.
  const serviceMs: number[] = [];
  for (let i = 0; i < 5; i++) { t0 = nowMs(); await run(o.maxBatch); serviceMs.push(nowMs() - t0); }
  serviceMs.sort((a, b) => a - b);
  const capacityPerS = (o.maxBatch * 1000) / serviceMs[2];
  hooks.planned?.(plannedServeMs(o, capacityPerS));

  const attempts: RateAttempt[] = [];
  let final: { rate: number; result: ServeResult; startEpochMs: number } | undefined;
  let seedStep = 0;
  const once = async (rate: number) => {
    const arrivals = poissonArrivalsMs(rate, o.queries, spec.seed + seedStep++);
    const startEpochMs = epochMs(nowMs());
    const result = await serve(run, arrivals, o.maxBatch, o.maxWaitMs);
    return { a: summarizeAttempt(rate, result, o.p99Ms), result, startEpochMs };
  };
  const attempt = async (rate: number) => {
    let r = await once(rate);
    if (breaksMonotonicity(r.a, attempts)) {
      // Tried again once with fresh arrivals; the first try stays on the record, marked.
      attempts.push({ ...r.a, retried: true });
      r = await once(rate);
    }
    attempts.push(r.a);
    return r;
  };

  hooks.windowStart();
  const windowStart = nowMs();
  if (o.ratePerS !== undefined) {
    const r = await attempt(o.ratePerS);
    final = { rate: o.ratePerS, ...r };
  } else {
    let lo = 0;
    let hi = capacityPerS * 1.1;
    for (let i = 0; i < SEARCH_STEPS; i++) {
      const rate = i === 0 ? capacityPerS * 0.5 : (lo + hi) / 2;
      if (rate < capacityPerS * LOWEST_RATE_SHARE) break;
      const r = await attempt(rate);
      if (r.a.held) { lo = rate; final = { rate, ...r }; } else { hi = rate; }
    }
    if (!final) {
      const lowest = attempts.reduce((m, x) => (x.ratePerS < m.ratePerS ? x : m));
      final = { rate: lowest.ratePerS, ...(await attempt(lowest.ratePerS)) };
    }
  }
  const measuredS = (nowMs() - windowStart) / 1000;
  hooks.windowEnd();
  const counted = attempts.filter((a) => !a.retried);
  const held = counted.filter((a) => a.held);
  const best = held.length ? held.reduce((m, x) => (x.ratePerS > m.ratePerS ? x : m)) : undefined;
  const f = final.result;
  return {
    measurement: {
      firstInferenceMs, warmupRuns: 5, samplesMs: f.latenciesMs, converged: true, measuredS,
      timerOverheadMs: clock.overheadMs, timerResolutionMs: clock.resolutionMs,
      // The final attempt's queries: arrival and completion, from which its achieved rate is counted.
      callStartMs: f.arrivalMs, callEndMs: f.completionMs, windowStartEpochMs: final.startEpochMs,
      counted: { items: f.latenciesMs.length, windowS: f.spanS },
    },
    figures: {
      ratePerS: final.rate,
      achievedPerS: f.spanS > 0 ? f.latenciesMs.length / f.spanS : 0,
      p99BoundMs: o.p99Ms ?? null,
      maxBatch: o.maxBatch,
      maxWaitMs: o.maxWaitMs,
      serviceMsAtMaxBatch: serviceMs[2],
      held: best !== undefined,
      maxRatePerS: best?.ratePerS ?? null,
      highestAchievedPerS: Math.max(...counted.map((a) => a.achievedPerS)),
      attempts,
      curve: [...counted].sort((a, b) => a.ratePerS - b.ratePerS)
        .map((a) => ({ ratePerS: a.ratePerS, p50Ms: a.p50Ms, p99Ms: a.p99Ms, achievedPerS: a.achievedPerS, held: a.held })),
    } satisfies ServerFigures,
  };
}
