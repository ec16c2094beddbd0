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
import { nowMs, measureClock } from '../runner/clock.js';
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

export interface ServeResult { latenciesMs: number[]; queueMs: number[]; batchSizes: number[]; durationS: number }

export async function serve(
  run: (n: number) => Promise<unknown>, arrivalsMs: number[], maxBatch: number, maxWaitMs: number,
): Promise<ServeResult> {
  const start = nowMs();
  const latenciesMs: number[] = [];
  const queueMs: number[] = [];
  const batchSizes: number[] = [];
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
    }
  }
  return { latenciesMs, queueMs, batchSizes, durationS: (nowMs() - start) / 1000 };
}

function summarizeAttempt(ratePerS: number, r: ServeResult, p99BoundMs: number | undefined): RateAttempt {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  const p99Ms = quantile(sorted, 0.99);
  const achievedPerS = r.latenciesMs.length / r.durationS;
  const held = p99BoundMs !== undefined ? p99Ms <= p99BoundMs : achievedPerS >= 0.9 * ratePerS;
  return {
    ratePerS, p50Ms: quantile(sorted, 0.5), p99Ms, achievedPerS,
    meanQueueMs: r.queueMs.reduce((a, b) => a + b, 0) / r.queueMs.length,
    meanBatch: r.batchSizes.reduce((a, b) => a + b, 0) / r.batchSizes.length,
    held,
  };
}

/** Bisection steps of the rate search: each halves the bracket. */
const SEARCH_STEPS = 6;

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

  const attempts: RateAttempt[] = [];
  let final: { rate: number; result: ServeResult } | undefined;
  let seedStep = 0;
  const attempt = async (rate: number) => {
    const result = await serve(run, poissonArrivalsMs(rate, o.queries, spec.seed + seedStep++), o.maxBatch, o.maxWaitMs);
    const a = summarizeAttempt(rate, result, o.p99Ms);
    attempts.push(a);
    return { a, result };
  };

  hooks.windowStart();
  const windowStart = nowMs();
  if (o.ratePerS !== undefined) {
    const { result } = await attempt(o.ratePerS);
    final = { rate: o.ratePerS, result };
  } else {
    let lo = 0;
    let hi = capacityPerS * 1.1;
    for (let i = 0; i < SEARCH_STEPS; i++) {
      const rate = i === 0 ? capacityPerS * 0.5 : (lo + hi) / 2;
      const { a, result } = await attempt(rate);
      if (a.held) { lo = rate; final = { rate, result }; } else { hi = rate; }
    }
    if (!final) {
      const lowest = attempts.reduce((m, x) => (x.ratePerS < m.ratePerS ? x : m));
      final = { rate: lowest.ratePerS, result: (await attempt(lowest.ratePerS)).result };
    }
  }
  const measuredS = (nowMs() - windowStart) / 1000;
  hooks.windowEnd();
  const held = attempts.filter((a) => a.held);
  const best = held.length ? held.reduce((m, x) => (x.ratePerS > m.ratePerS ? x : m)) : undefined;
  return {
    measurement: {
      firstInferenceMs, warmupRuns: 5, samplesMs: final.result.latenciesMs, converged: true, measuredS,
      timerOverheadMs: clock.overheadMs, timerResolutionMs: clock.resolutionMs,
    },
    figures: {
      ratePerS: final.rate,
      p99BoundMs: o.p99Ms ?? null,
      maxBatch: o.maxBatch,
      maxWaitMs: o.maxWaitMs,
      serviceMsAtMaxBatch: serviceMs[2],
      held: best !== undefined,
      maxRatePerS: best?.ratePerS ?? null,
      highestAchievedPerS: Math.max(...attempts.map((a) => a.achievedPerS)),
      attempts,
    } satisfies ServerFigures,
  };
}
