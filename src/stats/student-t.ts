/**
 * Student's t critical values for any confidence and degrees of freedom.
 *
 * Up to CORNISH_FISHER_MIN_DF the two-sided CDF is computed exactly with the
 * finite trigonometric series for integer df (Abramowitz and Stegun 26.7.3-4,
 * theta = atan(t / sqrt(df))) and inverted by bisection on theta, which is
 * exact to double precision. Beyond it the Cornish-Fisher expansion in 1/df
 * (A&S 26.7.5) is used; its error there is below 1e-12.
 */
import { normalQuantile } from './normal.js';

export const CORNISH_FISHER_MIN_DF = 1000;

/** P(|T| <= sqrt(df) tan(theta)) for T ~ Student t with integer df >= 1. */
function twoSidedCdfAtTheta(theta: number, df: number): number {
  const s = Math.sin(theta);
  const c = Math.cos(theta);
  const c2 = c * c;
  if (df % 2 === 0) {
    let term = 1;
    let sum = 1;
    for (let m = 1; m <= (df - 2) / 2; m++) {
      term *= ((2 * m - 1) / (2 * m)) * c2;
      sum += term;
    }
    return s * sum;
  }
  if (df === 1) return (2 / Math.PI) * theta;
  let term = c;
  let sum = c;
  for (let m = 1; m <= (df - 3) / 2; m++) {
    term *= ((2 * m) / (2 * m + 1)) * c2;
    sum += term;
  }
  return (2 / Math.PI) * (theta + s * sum);
}

/** P(|T| <= t) for T ~ Student t with integer df >= 1, t >= 0. */
export function studentTTwoSidedCdf(t: number, df: number): number {
  assertDf(df);
  return twoSidedCdfAtTheta(Math.atan(Math.abs(t) / Math.sqrt(df)), df);
}

function assertDf(df: number): void {
  if (!(Number.isInteger(df) && df >= 1)) throw new RangeError(`student t: df must be an integer >= 1, got ${df}`);
}

function cornishFisher(p: number, df: number): number {
  const z = normalQuantile(p);
  const z2 = z * z;
  const z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2;
  const g1 = (z3 + z) / 4;
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/**
 * The t with P(|T| <= t) = confidence, i.e. the (1 + confidence) / 2 quantile
 * of Student's t with `df` degrees of freedom (2.262 for df 9 at 95%).
 * @param confidence two-sided coverage in (0, 1)
 * @param df integer degrees of freedom >= 1
 */
export function studentTCritical(confidence: number, df: number): number {
  assertDf(df);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`studentTCritical: confidence must be in (0, 1), got ${confidence}`);
  if (df > CORNISH_FISHER_MIN_DF) return cornishFisher((1 + confidence) / 2, df);
  let lo = 0;
  let hi = Math.PI / 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (twoSidedCdfAtTheta(mid, df) < confidence) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(df) * Math.tan((lo + hi) / 2);
}
