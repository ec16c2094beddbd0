/**
 * String tensors in the tfjs importer. tfjs holds strings but has no
 * kernels for them, so these operators read the strings on the host, as
 * onnxruntime's CPU kernels do: Cast and CastLike to and from string (the
 * text the ONNX reference writes, and onnxruntime's parsing: ONNX's INF
 * spellings, else a leading number as strtod reads it), StringNormalizer,
 * and Equal on strings.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ElementType } from '../../runtime.js';
import { intAttr, stringAttr } from '../attrs.js';
import { tfDtypeOf } from '../host.js';
import { asOnnx, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';
import { ELEMENTWISE_OPS } from './elementwise.js';

/** Outside [1e-4, 1e6) a float32's text is in scientific notation, as NumPy's str() (the ONNX reference's) writes float32. */
const POSITIONAL_MIN = 1e-4;
const POSITIONAL_MAX = 1e6;
/** Enough significant digits to tell every float32 apart. */
const FLOAT32_MAX_DIGITS = 9;

/**
 * A float32 as the ONNX reference writes it for Cast to string: the fewest
 * significant digits that read back as the same float32 ("0.6048455"), in
 * NumPy's notation, with ONNX's reserved INF, -INF and NaN.
 */
export function floatText(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'INF';
  if (x === -Infinity) return '-INF';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  let digits = 1;
  while (digits < FLOAT32_MAX_DIGITS && Math.fround(Number(x.toPrecision(digits))) !== x) digits++;
  const shortest = Number(x.toPrecision(digits));
  const abs = Math.abs(x);
  if (abs >= POSITIONAL_MIN && abs < POSITIONAL_MAX) {
    const text = shortest.toFixed(Math.max(0, digits - 1 - Math.floor(Math.log10(abs))));
    return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '.0') : `${text}.0`;
  }
  const [mantissa, exp] = shortest.toExponential(digits - 1).split('e');
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

const NUMBER_PREFIX = /^[+-]?(?:0x[0-9a-f]+(?:\.[0-9a-f]*)?|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf(?:inity)?|nan)/i;

/** A string as onnxruntime reads it for a numeric Cast: ONNX's INF spellings, else strtod's leading number. */
export function parseNumber(s: string): number {
  if (s === 'INF' || s === '+INF') return Infinity;
  if (s === '-INF') return -Infinity;
  if (s === 'NaN') return NaN;
  const m = NUMBER_PREFIX.exec(s.replace(/^\s+/, ''));
  if (!m) throw new Error(`tfjs: Cast: ${JSON.stringify(s)} is not a number`);
  const text = m[0].toLowerCase().replace(/^([+-]?)inf(inity)?$/, '$1Infinity').replace(/^[+-]?nan$/, 'NaN');
  if (/^[+-]?0x/.test(text)) {
    const neg = text.startsWith('-');
    const [int, frac = ''] = text.replace(/^[+-]?0x/, '').split('.');
    const v = parseInt(int || '0', 16) + (frac ? parseInt(frac, 16) / 16 ** frac.length : 0);
    return neg ? -v : v;
  }
  return Number(text);
}

/** Host strings of a tfjs string tensor. */
function stringsOf(t: tf.Tensor): string[] {
  return t.dataSync() as unknown as string[];
}

/** A tensor of any element type as the strings onnxruntime writes for it. */
function toStrings(x: Value): tf.Tensor {
  const t = asOnnx(x);
  if (t.dtype === 'string') return t;
  const values = Array.from(t.dataSync() as ArrayLike<number>);
  const float = t.dtype === 'float32';
  return tf.tensor(values.map((v) => (float ? floatText(v) : String(v))), t.shape, 'string');
}

/** Strings to a numeric element type; integers truncate as a C cast from double does. */
function fromStrings(x: tf.Tensor, to: ElementType): tf.Tensor {
  const dtype = tfDtypeOf(to === 'string' ? 'float32' : to);
  const numbers = stringsOf(x).map(parseNumber);
  if (dtype === 'float32') return tf.tensor(Float32Array.from(numbers), x.shape, 'float32');
  if (dtype === 'bool') return tf.tensor(Uint8Array.from(numbers, (v) => (v !== 0 ? 1 : 0)), x.shape, 'bool');
  return tf.tensor(Int32Array.from(numbers, (v) => Math.trunc(v)), x.shape, 'int32');
}

/** Cast where either side is a string; undefined when neither is (the numeric Cast handles it). */
export function castStrings(x: Value, to: ElementType): Value | undefined {
  if (to === 'string') return onnxValue(toStrings(x));
  if (x.tensor.dtype === 'string') return { ...onnxValue(fromStrings(x.tensor, to)), onnxDtype: to };
  return undefined;
}

/** StringNormalizer: drop stopwords (case-sensitively or not), then change case; all dropped gives one empty string. */
function stringNormalizer(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  if (x.dtype !== 'string') throw new Error(`tfjs: StringNormalizer node ${ctx.node.name}: input is ${x.dtype}; ONNX defines it on strings`);
  const shape = x.shape as number[];
  if (!(shape.length === 1 || (shape.length === 2 && shape[0] === 1))) {
    throw new Error(`tfjs: StringNormalizer node ${ctx.node.name}: input shape [${shape.join(', ')}]; ONNX allows [C] or [1, C]`);
  }
  const action = stringAttr(ctx.node, 'case_change_action', 'NONE');
  if (!['NONE', 'LOWER', 'UPPER'].includes(action)) throw new Error(`tfjs: StringNormalizer node ${ctx.node.name}: case_change_action ${JSON.stringify(action)}; allowed: NONE, LOWER, UPPER`);
  const caseSensitive = intAttr(ctx.node, 'is_case_sensitive', 0) !== 0;
  const raw = ctx.node.attrs.stopwords;
  const stopwords = Array.isArray(raw) ? (raw as string[]) : [];
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  const stop = new Set(stopwords.map(fold));
  let kept = stringsOf(x).filter((s) => !stop.has(fold(s)));
  if (action === 'LOWER') kept = kept.map((s) => s.toLowerCase());
  if (action === 'UPPER') kept = kept.map((s) => s.toUpperCase());
  if (kept.length === 0) kept = [''];
  return [onnxValue(tf.tensor(kept, shape.length === 1 ? [kept.length] : [1, kept.length], 'string'))];
}

/** Row-major strides of a shape left-padded to `rank`, 0 along broadcast (size-1) axes. */
function broadcastStrides(shape: number[], rank: number): number[] {
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const strides = new Array<number>(rank).fill(0);
  let step = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = padded[i] === 1 ? 0 : step;
    step *= padded[i];
  }
  return strides;
}

/** Equal on two string tensors, with ONNX (NumPy) broadcasting, compared on the host. */
function stringEqual(ctx: OpContext, a: tf.Tensor, b: tf.Tensor): Value {
  if (a.dtype !== 'string' || b.dtype !== 'string') throw new Error(`tfjs: Equal node ${ctx.node.name}: a ${a.dtype} and a ${b.dtype} input; ONNX compares strings with strings only`);
  const rank = Math.max(a.rank, b.rank);
  const pa = [...new Array<number>(rank - a.rank).fill(1), ...a.shape];
  const pb = [...new Array<number>(rank - b.rank).fill(1), ...b.shape];
  const shape = pa.map((d, i) => {
    if (d !== pb[i] && d !== 1 && pb[i] !== 1) throw new Error(`tfjs: Equal node ${ctx.node.name}: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not broadcast`);
    return d === 1 ? pb[i] : d;
  });
  const [sa, sb] = [broadcastStrides(a.shape, rank), broadcastStrides(b.shape, rank)];
  const [va, vb] = [stringsOf(a), stringsOf(b)];
  const count = shape.reduce((x, y) => x * y, 1);
  const out = new Uint8Array(count);
  for (let flat = 0; flat < count; flat++) {
    let rest = flat;
    let ia = 0;
    let ib = 0;
    for (let axis = rank - 1; axis >= 0; axis--) {
      const k = rest % shape[axis];
      rest = (rest - k) / shape[axis];
      ia += k * sa[axis];
      ib += k * sb[axis];
    }
    out[flat] = va[ia] === vb[ib] ? 1 : 0;
  }
  return onnxValue(tf.tensor(out, shape, 'bool'));
}

export const STRING_OPS: OpTable = {
  StringNormalizer: { run: stringNormalizer },
  // tfjs's wasm backend has no string kernels: strings are compared here, numbers by the element-wise Equal.
  Equal: {
    run: (ctx) => {
      const [a, b] = [asOnnx(input(ctx, 0)), asOnnx(input(ctx, 1))];
      return a.dtype === 'string' || b.dtype === 'string' ? [stringEqual(ctx, a, b)] : ELEMENTWISE_OPS.Equal.run(ctx);
    },
  },
};
