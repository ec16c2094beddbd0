/**
 * Comparing a trial's outputs with a reference's on the same seeded input.
 * Pure. An element agrees when |a - r| <= absTol * scale + relTol * |r|,
 * where scale is the output's largest |r| (at least 1): float32 rounding in a
 * sum grows with the magnitude of the terms, so an output whose values reach
 * 2000 earns a proportionally larger absolute slack. For classifiers (2-D
 * outputs with several classes) the top-1 agreement is reported too.
 */
import type { AgreementFigures } from '../results/types.js';
import type { StringTensor, Tensor } from '../runtimes/runtime.js';

export interface Tolerance { absTol: number; relTol: number }

/** Loose enough for float32 reordering across runtimes, tight enough to catch a wrong operator. */
export const DEFAULT_TOLERANCE: Tolerance = { absTol: 1e-4, relTol: 1e-3 };

/** What compareOutputs finds: the typed agreement figures, with every comparison field present. */
export type Agreement = AgreementFigures & Required<Pick<AgreementFigures, 'maxAbsError' | 'maxRelError' | 'withinTolerance' | 'tolerance' | 'outputs'>>;

function argmaxRows(data: ArrayLike<number | bigint>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (Number(data[r * cols + c]) > Number(data[r * cols + best])) best = c;
    out.push(best);
  }
  return out;
}

/** Strings agree only when equal; the index of the first that differs, or -1. */
function firstStringMismatch(a: Tensor, r: StringTensor): number {
  if (a.dtype !== 'string') return 0;
  return r.data.findIndex((s, i) => a.data[i] !== s);
}

export function compareOutputs(
  actual: Record<string, Tensor>, reference: Record<string, Tensor>, referenceName: string, tolerance = DEFAULT_TOLERANCE,
): Agreement {
  let maxAbsError = 0;
  let maxRelError = 0;
  let within = true;
  let top1: number | undefined;
  const names = Object.keys(reference);
  const base = { reference: referenceName, tolerance, outputs: names };
  for (const name of names) {
    const r = reference[name];
    const a = actual[name];
    if (!a) return { ...base, maxAbsError: Infinity, maxRelError: Infinity, withinTolerance: false, mismatch: `output ${name} is missing; got ${Object.keys(actual).join(', ') || 'none'}` };
    if (a.shape.join('x') !== r.shape.join('x')) {
      return { ...base, maxAbsError: Infinity, maxRelError: Infinity, withinTolerance: false, mismatch: `output ${name} has shape [${a.shape.join(', ')}], the reference [${r.shape.join(', ')}]` };
    }
    if (r.dtype === 'string' || a.dtype === 'string') {
      const at = r.dtype === 'string' ? firstStringMismatch(a, r) : 0;
      if (at < 0) continue;
      const got = a.dtype === 'string' ? JSON.stringify(a.data[at]) : `${a.dtype} values`;
      const want = r.dtype === 'string' ? JSON.stringify(r.data[at]) : `${r.dtype} values`;
      return { ...base, maxAbsError: Infinity, maxRelError: Infinity, withinTolerance: false, mismatch: `output ${name} differs at element ${at}: ${got}, the reference ${want} (strings must be equal)` };
    }
    let scale = 1;
    for (let i = 0; i < r.data.length; i++) scale = Math.max(scale, Math.abs(Number(r.data[i])));
    for (let i = 0; i < r.data.length; i++) {
      const rv = Number(r.data[i]);
      const av = Number(a.data[i]);
      const err = Math.abs(av - rv);
      if (!(err <= tolerance.absTol * scale + tolerance.relTol * Math.abs(rv))) within = false;
      if (err > maxAbsError || Number.isNaN(err)) maxAbsError = Number.isNaN(err) ? Infinity : err;
      const rel = err / Math.max(Math.abs(rv), 1e-6);
      if (rel > maxRelError || Number.isNaN(rel)) maxRelError = Number.isNaN(rel) ? Infinity : rel;
    }
    if (top1 === undefined && r.shape.length === 2 && r.shape[1] > 1 && r.dtype.startsWith('float')) {
      const [rows, cols] = r.shape;
      const ra = argmaxRows(r.data as ArrayLike<number>, rows, cols);
      const aa = argmaxRows(a.data as ArrayLike<number>, rows, cols);
      top1 = ra.filter((c, i) => c === aa[i]).length / rows;
    }
  }
  return { ...base, maxAbsError, maxRelError, ...(top1 !== undefined ? { top1Agreement: top1 } : {}), withinTolerance: within && (top1 === undefined || top1 === 1) };
}
