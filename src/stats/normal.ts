/**
 * The standard normal distribution, written out because the library has no
 * numeric dependency. Accuracy is near double precision in both tails, which
 * matters for p-values far below 0.001.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_2PI;
}

/** Upper tail Q(z) = 1 - Phi(z) for z >= 3, by the continued fraction of Mills' ratio (Laplace). */
function upperTailCf(z: number): number {
  // Evaluated backwards from a fixed depth; at z >= 3, 300 levels converge to double precision.
  let f = z;
  for (let k = 300; k >= 1; k--) f = z + k / f;
  return normalPdf(z) / f;
}

/** Phi(z) - 0.5 for |z| < 3 by Marsaglia's series: all terms share the sign of z, so no cancellation. */
function centralSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let k = 1; k < 200; k++) {
    term *= z2 / (2 * k + 1);
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return normalPdf(z) * sum;
}

/** Survival function 1 - Phi(z) = P(Z > z), accurate in the upper tail where 1 - normalCdf(z) would round to 0. */
export function normalSf(z: number): number {
  return normalCdf(-z);
}

/** Standard normal cumulative distribution function Phi(z) = P(Z <= z). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z <= -3) return upperTailCf(-z);
  if (z >= 3) return 1 - upperTailCf(z);
  return 0.5 + centralSeries(z);
}

// Acklam's rational approximation (relative error about 1e-9), then refined below.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW || p > 1 - P_LOW) {
    const tail = p < P_LOW ? p : 1 - p;
    const q = Math.sqrt(-2 * Math.log(tail));
    const x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/**
 * Inverse of `normalCdf`: the z with Phi(z) = p. Acklam's approximation
 * followed by two Halley steps on the accurate CDF above.
 * @param p probability in (0, 1); 0 and 1 give -Infinity and Infinity
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x = acklam(p);
  for (let i = 0; i < 2; i++) {
    // Work in the tail nearer to x so the residual keeps its relative precision.
    const e = x < 0 ? normalCdf(x) - p : (1 - p) - normalSf(x);
    const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
    if (!Number.isFinite(u)) break; // p near the smallest double: the approximation is all we can do
    x -= u / (1 + 0.5 * x * u);
  }
  return x;
}
