/** A seeded Poisson-like arrival schedule: exponential gaps, scaled so the schedule offers exactly the rate asked for. */
import { createPrng } from '../random/prng.js';

/**
 * Arrival times in ms from the start, `count` of them, at `ratePerS`: the last arrives at count / rate.
 * Unscaled, the span of 100 exponential gaps strays by about 10% from its mean, and an achieved
 * rate compared with the offered one within 5% would judge the dice, not the server.
 */
export function poissonArrivalsMs(ratePerS: number, count: number, seed: number): number[] {
  const prng = createPrng(seed);
  const meanGapMs = 1000 / ratePerS;
  const out: number[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += -Math.log(1 - prng.next()) * meanGapMs;
    out.push(t);
  }
  const scale = (count * meanGapMs) / t;
  return out.map((x) => x * scale);
}
