/** Comparing a runtime's outputs with a case's expected outputs, the way the ONNX backend runner does. */
import type { HostTensor, StringTensor, Tensor } from '../runtimes/runtime.js';
import type { Tolerance } from './types.js';
import { bfloat16ToFloat, halfToFloat } from '../core/half.js';

const FLOAT_DTYPES = new Set(['float32', 'float64', 'float16', 'bfloat16']);

function numbers(t: HostTensor): ArrayLike<number | bigint> {
  if (t.dtype === 'float16') return Array.from(t.data as Uint16Array, halfToFloat);
  if (t.dtype === 'bfloat16') return Array.from(t.data as Uint16Array, bfloat16ToFloat);
  return t.data;
}

function fmt(v: number | bigint): string {
  return typeof v === 'bigint' ? v.toString() : String(Number(v.toPrecision(6)));
}

/** Strings match only when equal. */
function compareStrings(a: StringTensor, e: StringTensor): string | null {
  const bad = e.data.filter((s, i) => a.data[i] !== s).length;
  if (bad === 0 && a.data.length === e.data.length) return null;
  if (a.data.length !== e.data.length) return `${a.data.length} values != expected ${e.data.length}`;
  const first = e.data.findIndex((s, i) => a.data[i] !== s);
  return `${bad}/${e.data.length} strings differ (first at ${first}: got ${JSON.stringify(a.data[first])}, expected ${JSON.stringify(e.data[first])})`;
}

/** null when `actual` matches `expected`; otherwise one line saying how it differs. NaN equals NaN; strings must be equal. */
export function compareTensor(actual: Tensor | undefined, expected: Tensor, tol: Tolerance): string | null {
  if (!actual) return 'output missing';
  if (actual.dtype !== expected.dtype) return `dtype ${actual.dtype} != expected ${expected.dtype}`;
  const same = actual.shape.length === expected.shape.length && actual.shape.every((d, i) => d === expected.shape[i]);
  if (!same) return `shape [${actual.shape.join(',')}] != expected [${expected.shape.join(',')}]`;
  if (actual.dtype === 'string' || expected.dtype === 'string') return compareStrings(actual as StringTensor, expected as StringTensor);
  return compareNumbers(actual, expected, tol);
}

function compareNumbers(actual: HostTensor, expected: HostTensor, tol: Tolerance): string | null {
  const a = numbers(actual);
  const e = numbers(expected);
  if (a.length !== e.length) return `${a.length} values != expected ${e.length}`;
  const isFloat = FLOAT_DTYPES.has(expected.dtype);
  let bad = 0;
  let first = -1;
  let maxErr = 0;
  for (let i = 0; i < e.length; i++) {
    let ok: boolean;
    if (isFloat) {
      const x = Number(a[i]);
      const y = Number(e[i]);
      ok = Number.isNaN(y) ? Number.isNaN(x) : x === y || Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y);
      if (!ok && Math.abs(x - y) > maxErr) maxErr = Math.abs(x - y);
      if (!ok && Number.isNaN(x)) maxErr = NaN;
    } else {
      ok = typeof a[i] === 'bigint' || typeof e[i] === 'bigint' ? BigInt(a[i]) === BigInt(e[i]) : a[i] === e[i];
    }
    if (!ok) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (bad === 0) return null;
  const err = isFloat ? `; max abs error ${fmt(maxErr)}` : '';
  return `${bad}/${e.length} values differ (first at ${first}: got ${fmt(a[first])}, expected ${fmt(e[first])}${err})`;
}

/** null when every expected output matches; else each mismatch, "name: why", joined. */
export function compareOutputs(actual: Record<string, Tensor>, expected: { name: string; tensor: Tensor }[], tol: Tolerance): string | null {
  const problems: string[] = [];
  for (const exp of expected) {
    const why = compareTensor(actual[exp.name], exp.tensor, tol);
    if (why) problems.push(`${exp.name}: ${why}`);
  }
  return problems.length ? problems.join('; ') : null;
}
