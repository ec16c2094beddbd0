/** A seeded Poisson arrival schedule: exponential gaps at a mean rate. */
import { createPrng } from '../random/prng.js';

/** Arrival times in ms from the start, `count` of them, at `ratePerS` on average. */
export function poissonArrivalsMs(ratePerS: number, count: number, seed: number): number[] {
  const prng = createPrng(seed);
  const meanGapMs = 1000 / ratePerS;
  const out: number[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += -Math.log(1 - prng.next()) * meanGapMs;
    out.push(t);
  }
  return out;
}
