/**
 * Output shapes of ONNX operators from their input shapes (and, where an
 * operator reads a shape from a tensor, that tensor's values). A rule throws
 * when it cannot decide; the caller then treats the node as not inferable.
 */
import type { DType } from '../core/tensors.js';
import type { NodeIR } from './ir.js';
import { broadcast, elements, MAX_TRACKED_ELEMENTS, normAxis, type ValueState } from './shape-values.js';

export interface RuleInput {
  node: NodeIR;
  /** Input states by position; undefined for an omitted optional input. */
  ins: (ValueState | undefined)[];
  opset: number;
}

type Rule = (r: RuleInput) => ValueState[];

function intAttr(n: NodeIR, name: string, dflt: number): number {
  const v = n.attrs[name];
  return typeof v === 'number' ? v : dflt;
}

function intsAttr(n: NodeIR, name: string): number[] | undefined {
  const v = n.attrs[name];
  return Array.isArray(v) ? (v as number[]) : undefined;
}

function strAttr(n: NodeIR, name: string, dflt: string): string {
  const v = n.attrs[name];
  return typeof v === 'string' ? v : dflt;
}

function need(s: ValueState | undefined, what: string): ValueState {
  if (!s) throw new Error(`missing input ${what}`);
  return s;
}

function valuesOf(s: ValueState | undefined, what: string): number[] {
  if (!s?.value) throw new Error(`${what} is not a known constant`);
  return s.value;
}

/** Values are kept only while small; passing them on when an op keeps them intact. */
function withValue(shape: number[], dtype: DType | undefined, value: number[] | undefined): ValueState {
  return value && value.length === elements(shape) && value.length <= MAX_TRACKED_ELEMENTS ? { shape, dtype, value } : { shape, dtype };
}

const same: Rule = ({ ins }) => [{ shape: [...need(ins[0], 'X').shape], dtype: ins[0]!.dtype }];

const INT_BINARY: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b, Sub: (a, b) => a - b, Mul: (a, b) => a * b, Div: (a, b) => Math.trunc(a / b),
};

const elementwise: Rule = ({ node, ins }) => {
  const present = ins.filter((s): s is ValueState => s !== undefined);
  const shape = present.map((s) => s.shape).reduce((a, b) => broadcast(a, b));
  const compare = ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Not'].includes(node.opType);
  const dtype: DType | undefined = compare ? 'bool' : node.opType === 'Where' ? ins[1]?.dtype : present[0].dtype;
  const f = INT_BINARY[node.opType];
  const [a, b] = present;
  if (f && present.length === 2 && a.value && b.value && (a.dtype === 'int64' || a.dtype === 'int32')) {
    const n = elements(shape);
    const pick = (s: ValueState, i: number) => s.value!.length === 1 ? s.value![0] : s.value![i];
    if (a.value.length === n || a.value.length === 1) {
      return [withValue(shape, dtype, Array.from({ length: n }, (_, i) => f(pick(a, i), pick(b, i))))];
    }
  }
  return [{ shape, dtype }];
};

/** Output spatial size of a sliding window (Conv, pooling). */
function windowOut(node: NodeIR, inSpatial: number[], kernel: number[], ceil: boolean): number[] {
  const strides = intsAttr(node, 'strides') ?? kernel.map(() => 1);
  const dil = intsAttr(node, 'dilations') ?? kernel.map(() => 1);
  const autoPad = strAttr(node, 'auto_pad', 'NOTSET');
  const pads = intsAttr(node, 'pads') ?? kernel.flatMap(() => [0]).concat(kernel.map(() => 0));
  return inSpatial.map((size, i) => {
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / strides[i]);
    const eff = (kernel[i] - 1) * dil[i] + 1;
    const padded = autoPad === 'VALID' ? size : size + pads[i] + pads[i + kernel.length];
    const q = (padded - eff) / strides[i];
    return (ceil ? Math.ceil(q) : Math.floor(q)) + 1;
  });
}

const conv: Rule = ({ node, ins }) => {
  const x = need(ins[0], 'X').shape;
  const w = need(ins[1], 'W').shape;
  const kernel = intsAttr(node, 'kernel_shape') ?? w.slice(2);
  return [{ shape: [x[0], w[0], ...windowOut(node, x.slice(2), kernel, false)], dtype: ins[0]!.dtype }];
};

const convTranspose: Rule = ({ node, ins }) => {
  const x = need(ins[0], 'X').shape;
  const w = need(ins[1], 'W').shape;
  const group = intAttr(node, 'group', 1);
  const kernel = intsAttr(node, 'kernel_shape') ?? w.slice(2);
  const given = intsAttr(node, 'output_shape');
  const spatial = x.slice(2);
  let out: number[];
  if (given) {
    out = given.slice(-spatial.length);
  } else {
    const strides = intsAttr(node, 'strides') ?? kernel.map(() => 1);
    const dil = intsAttr(node, 'dilations') ?? kernel.map(() => 1);
    const outPad = intsAttr(node, 'output_padding') ?? kernel.map(() => 0);
    const pads = intsAttr(node, 'pads') ?? kernel.concat(kernel).map(() => 0);
    const autoPad = strAttr(node, 'auto_pad', 'NOTSET');
    out = spatial.map((s, i) => {
      if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return s * strides[i];
      const p = autoPad === 'VALID' ? 0 : pads[i] + pads[i + kernel.length];
      return strides[i] * (s - 1) + outPad[i] + (kernel[i] - 1) * dil[i] + 1 - p;
    });
  }
  return [{ shape: [x[0], w[1] * group, ...out], dtype: ins[0]!.dtype }];
};

const pool: Rule = ({ node, ins }) => {
  const x = need(ins[0], 'X').shape;
  const kernel = intsAttr(node, 'kernel_shape');
  if (!kernel) throw new Error('kernel_shape is missing');
  const shape = [x[0], x[1], ...windowOut(node, x.slice(2), kernel, intAttr(node, 'ceil_mode', 0) === 1)];
  return [{ shape, dtype: ins[0]!.dtype }, { shape, dtype: 'int64' }];
};

const globalPool: Rule = ({ ins }) => {
  const x = need(ins[0], 'X').shape;
  return [{ shape: [x[0], x[1], ...x.slice(2).map(() => 1)], dtype: ins[0]!.dtype }];
};

const gemm: Rule = ({ node, ins }) => {
  const a = need(ins[0], 'A').shape;
  const b = need(ins[1], 'B').shape;
  const m = intAttr(node, 'transA', 0) ? a[1] : a[0];
  const n = intAttr(node, 'transB', 0) ? b[0] : b[1];
  return [{ shape: [m, n], dtype: ins[0]!.dtype }];
};

export function matmulShape(a: readonly number[], b: readonly number[]): number[] {
  const a2 = a.length === 1 ? [1, a[0]] : [...a];
  const b2 = b.length === 1 ? [b[0], 1] : [...b];
  if (a2[a2.length - 1] !== b2[b2.length - 2]) throw new Error(`MatMul inner dimensions differ: [${a.join(', ')}] x [${b.join(', ')}]`);
  const batch = broadcast(a2.slice(0, -2), b2.slice(0, -2));
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

const matmul: Rule = ({ ins }) => [{ shape: matmulShape(need(ins[0], 'A').shape, need(ins[1], 'B').shape), dtype: ins[0]!.dtype }];

const flatten: Rule = ({ node, ins }) => {
  const x = need(ins[0], 'X');
  const rank = x.shape.length;
  const raw = intAttr(node, 'axis', 1);
  const axis = raw < 0 ? raw + rank : raw;
  return [withValue([elements(x.shape.slice(0, axis)), elements(x.shape.slice(axis))], x.dtype, x.value)];
};

const reshape: Rule = ({ node, ins, opset }) => {
  const x = need(ins[0], 'data');
  const target = opset < 5 ? intsAttr(node, 'shape') ?? [] : valuesOf(ins[1], 'the shape input of Reshape');
  const allowZero = intAttr(node, 'allowzero', 0) === 1;
  const shape = target.map((d, i) => (d === 0 && !allowZero ? x.shape[i] : d));
  const known = shape.filter((d) => d !== -1);
  if (known.length < shape.length) shape[shape.indexOf(-1)] = elements(x.shape) / elements(known);
  return [withValue(shape, x.dtype, x.value)];
};

const transpose: Rule = ({ node, ins }) => {
  const x = need(ins[0], 'data');
  const perm = intsAttr(node, 'perm') ?? x.shape.map((_, i) => x.shape.length - 1 - i);
  return [{ shape: perm.map((p) => x.shape[p]), dtype: x.dtype }];
};

const concat: Rule = ({ node, ins }) => {
  const xs = ins.filter((s): s is ValueState => s !== undefined);
  const axis = normAxis(intAttr(node, 'axis', 0), xs[0].shape.length);
  const shape = [...xs[0].shape];
  shape[axis] = xs.reduce((n, s) => n + s.shape[axis], 0);
  const value = xs.every((s) => s.value) && shape.length === 1 ? xs.flatMap((s) => s.value!) : undefined;
  return [withValue(shape, xs[0].dtype, value)];
};

const gather: Rule = ({ node, ins }) => {
  const data = need(ins[0], 'data');
  const idx = need(ins[1], 'indices');
  const axis = normAxis(intAttr(node, 'axis', 0), data.shape.length);
  const shape = [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)];
  let value: number[] | undefined;
  if (data.value && idx.value && data.shape.length === 1) {
    value = idx.value.map((i) => data.value![i < 0 ? i + data.shape[0] : i]);
  }
  return [withValue(shape, data.dtype, value)];
};

const shapeOp: Rule = ({ node, ins }) => {
  const x = need(ins[0], 'data').shape;
  const rank = x.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const dims = x.slice(clamp(intAttr(node, 'start', 0)), clamp(intAttr(node, 'end', rank)));
  return [{ shape: [dims.length], dtype: 'int64', value: dims }];
};

function axesOf(node: NodeIR, ins: (ValueState | undefined)[], inputIndex: number, fromInput: boolean): number[] | undefined {
  if (fromInput) return ins[inputIndex] ? valuesOf(ins[inputIndex], 'the axes input') : undefined;
  return intsAttr(node, 'axes');
}

const unsqueeze: Rule = ({ node, ins, opset }) => {
  const x = need(ins[0], 'data');
  const axes = axesOf(node, ins, 1, opset >= 13) ?? [];
  const rank = x.shape.length + axes.length;
  const norm = axes.map((a) => normAxis(a, rank)).sort((a, b) => a - b);
  const shape = [...x.shape];
  for (const a of norm) shape.splice(a, 0, 1);
  return [withValue(shape, x.dtype, x.value)];
};

const squeeze: Rule = ({ node, ins, opset }) => {
  const x = need(ins[0], 'data');
  const axes = axesOf(node, ins, 1, opset >= 13);
  const drop = new Set(axes ? axes.map((a) => normAxis(a, x.shape.length)) : x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  return [withValue(x.shape.filter((_, i) => !drop.has(i)), x.dtype, x.value)];
};

const slice: Rule = ({ node, ins, opset }) => {
  const x = need(ins[0], 'data');
  const starts = opset >= 10 ? valuesOf(ins[1], 'Slice starts') : intsAttr(node, 'starts') ?? [];
  const ends = opset >= 10 ? valuesOf(ins[2], 'Slice ends') : intsAttr(node, 'ends') ?? [];
  const axes = (opset >= 10 ? (ins[3] ? valuesOf(ins[3], 'Slice axes') : undefined) : intsAttr(node, 'axes')) ?? starts.map((_, i) => i);
  const steps = (opset >= 10 && ins[4] ? valuesOf(ins[4], 'Slice steps') : undefined) ?? starts.map(() => 1);
  const shape = [...x.shape];
  const ranges: [number, number, number][] = x.shape.map((d) => [0, d, 1]);
  axes.forEach((raw, i) => {
    const a = normAxis(raw, x.shape.length);
    const d = x.shape[a];
    const step = steps[i];
    const clampIdx = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const s = step > 0 ? clampIdx(starts[i], 0, d) : clampIdx(starts[i], -1, d - 1);
    const e = step > 0 ? clampIdx(ends[i], 0, d) : clampIdx(ends[i], -1, d - 1);
    shape[a] = Math.max(0, Math.ceil((e - s) / step));
    ranges[a] = [s, e, step];
  });
  let value: number[] | undefined;
  if (x.value && x.shape.length === 1) {
    const [s, , step] = ranges[0];
    value = Array.from({ length: shape[0] }, (_, i) => x.value![s + i * step]);
  }
  return [withValue(shape, x.dtype, value)];
};

const reduce: Rule = ({ node, ins, opset }) => {
  const x = need(ins[0], 'data');
  const axesFromInput = node.opType === 'ReduceSum' ? opset >= 13 : opset >= 18;
  const axes = axesOf(node, ins, 1, axesFromInput);
  const keep = intAttr(node, 'keepdims', 1) === 1;
  const noop = intAttr(node, 'noop_with_empty_axes', 0) === 1;
  if ((!axes || axes.length === 0) && noop) return [{ shape: [...x.shape], dtype: x.dtype }];
  const set = new Set((axes && axes.length ? axes : x.shape.map((_, i) => i)).map((a) => normAxis(a, x.shape.length)));
  const shape = x.shape.flatMap((d, i) => (set.has(i) ? (keep ? [1] : []) : [d]));
  return [{ shape, dtype: x.dtype }];
};

const argReduce: Rule = ({ node, ins }) => {
  const x = need(ins[0], 'data');
  const axis = normAxis(intAttr(node, 'axis', 0), x.shape.length);
  const keep = intAttr(node, 'keepdims', 1) === 1;
  return [{ shape: x.shape.flatMap((d, i) => (i === axis ? (keep ? [1] : []) : [d])), dtype: 'int64' }];
};

const resize: Rule = ({ node, ins, opset }) => {
  const x = need(ins[0], 'X');
  const scalesAt = opset >= 11 ? 2 : 1;
  const sizes = opset >= 11 && ins[3] ? valuesOf(ins[3], 'Resize sizes') : undefined;
  if (sizes) {
    const axes = intsAttr(node, 'axes');
    if (!axes) return [{ shape: sizes, dtype: x.dtype }];
    const shape = [...x.shape];
    axes.forEach((a, i) => { shape[normAxis(a, shape.length)] = sizes[i]; });
    return [{ shape, dtype: x.dtype }];
  }
  const scales = node.opType === 'Upsample' && opset < 9 ? (node.attrs.scales as number[]) : valuesOf(ins[scalesAt], 'Resize scales');
  return [{ shape: x.shape.map((d, i) => Math.floor(d * scales[i])), dtype: x.dtype }];
};

const split: Rule = ({ node, ins, opset }) => {
  const x = need(ins[0], 'input');
  const axis = normAxis(intAttr(node, 'axis', 0), x.shape.length);
  const fromInput = opset >= 13;
  let parts = fromInput ? (ins[1] ? valuesOf(ins[1], 'Split split') : undefined) : intsAttr(node, 'split');
  if (!parts) {
    const count = intAttr(node, 'num_outputs', node.outputs.length);
    const each = Math.ceil(x.shape[axis] / count);
    parts = Array.from({ length: count }, (_, i) => Math.min(each, x.shape[axis] - each * i));
  }
  return parts.map((p) => {
    const shape = [...x.shape];
    shape[axis] = p;
    return { shape, dtype: x.dtype };
  });
};

const expand: Rule = ({ ins }) => {
  const x = need(ins[0], 'input');
  return [{ shape: broadcast(x.shape, valuesOf(ins[1], 'Expand shape')), dtype: x.dtype }];
};

const tile: Rule = ({ ins }) => {
  const x = need(ins[0], 'input');
  const reps = valuesOf(ins[1], 'Tile repeats');
  return [{ shape: x.shape.map((d, i) => d * reps[i]), dtype: x.dtype }];
};

const pad: Rule = ({ node, ins, opset }) => {
  const x = need(ins[0], 'data');
  const pads = opset >= 11 ? valuesOf(ins[1], 'Pad pads') : intsAttr(node, 'pads') ?? [];
  const axes = opset >= 18 && ins[3] ? valuesOf(ins[3], 'Pad axes').map((a) => normAxis(a, x.shape.length)) : x.shape.map((_, i) => i);
  const shape = [...x.shape];
  axes.forEach((a, i) => { shape[a] += pads[i] + pads[i + axes.length]; });
  return [{ shape, dtype: x.dtype }];
};

const ELEM_DTYPE: Record<number, DType> = { 1: 'float32', 2: 'uint8', 3: 'int8', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64' };

const cast: Rule = ({ node, ins }) => {
  const x = need(ins[0], 'input');
  return [withValue([...x.shape], ELEM_DTYPE[intAttr(node, 'to', 1)], x.value)];
};

const identity: Rule = ({ ins }) => {
  const x = need(ins[0], 'input');
  return [withValue([...x.shape], x.dtype, x.value), { shape: [...x.shape], dtype: 'bool' }];
};

const constant: Rule = ({ node }) => {
  const a = node.attrs;
  if (a.value && typeof a.value === 'object' && 'shape' in a.value && 'data' in a.value) {
    const t = a.value;
    const n = elements(t.shape);
    if (t.dtype === 'string') return [{ shape: [...t.shape] }];
    const value = n <= MAX_TRACKED_ELEMENTS && t.dtype !== 'float16' ? Array.from(t.data as ArrayLike<number | bigint>, Number) : undefined;
    return [withValue([...t.shape], t.dtype, value)];
  }
  if (typeof a.value_int === 'number') return [{ shape: [], dtype: 'int64', value: [a.value_int] }];
  if (typeof a.value_float === 'number') return [{ shape: [], dtype: 'float32', value: [a.value_float] }];
  if (Array.isArray(a.value_ints)) return [{ shape: [a.value_ints.length], dtype: 'int64', value: a.value_ints as number[] }];
  if (Array.isArray(a.value_floats)) return [{ shape: [a.value_floats.length], dtype: 'float32', value: a.value_floats as number[] }];
  throw new Error('Constant without a supported value attribute');
};

const constantOfShape: Rule = ({ node, ins }) => {
  const shape = valuesOf(ins[0], 'ConstantOfShape shape');
  const v = node.attrs.value;
  const dtype = v && typeof v === 'object' && 'dtype' in v && v.dtype !== 'string' ? v.dtype : 'float32';
  const fill = v && typeof v === 'object' && 'data' in v ? Number((v.data as ArrayLike<number | bigint>)[0]) : 0;
  return [withValue(shape, dtype, new Array(elements(shape)).fill(fill))];
};

const range: Rule = ({ ins }) => {
  const [start, limit, delta] = [0, 1, 2].map((i) => valuesOf(ins[i], 'Range bounds')[0]);
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  return [withValue([n], ins[0]!.dtype, Array.from({ length: n }, (_, i) => start + i * delta))];
};

const layerNorm: Rule = ({ node, ins }) => {
  const x = need(ins[0], 'X');
  const axis = normAxis(intAttr(node, 'axis', -1), x.shape.length);
  const stat = x.shape.map((d, i) => (i < axis ? d : 1));
  return [{ shape: [...x.shape], dtype: x.dtype }, { shape: stat, dtype: 'float32' }, { shape: stat, dtype: 'float32' }];
};

const topK: Rule = ({ node, ins }) => {
  const x = need(ins[0], 'X');
  const k = valuesOf(ins[1], 'TopK k')[0];
  const axis = normAxis(intAttr(node, 'axis', -1), x.shape.length);
  const shape = x.shape.map((d, i) => (i === axis ? k : d));
  return [{ shape, dtype: x.dtype }, { shape, dtype: 'int64' }];
};

const scalarOf = (dtype: DType): Rule => ({ ins }) => [{ shape: [], dtype, value: ins[0] ? [elements(ins[0].shape)] : undefined }];

const UNARY = [
  'Relu', 'Sigmoid', 'Tanh', 'Erf', 'Sqrt', 'Exp', 'Log', 'Abs', 'Neg', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign',
  'LeakyRelu', 'Elu', 'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign', 'Gelu', 'Mish', 'Clip', 'Not',
  'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'IsNaN', 'IsInf', 'Softmax', 'LogSoftmax', 'Hardmax',
  'BatchNormalization', 'InstanceNormalization', 'LpNormalization', 'LRN', 'ThresholdedRelu', 'Shrink', 'CumSum',
  'QuickGelu', 'MeanVarianceNormalization', 'GroupNormalization',
];
const BINARY = [
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual',
  'And', 'Or', 'Xor', 'Mod', 'Where', 'PRelu', 'BitShift',
];

export const SHAPE_RULES: Record<string, Rule> = {
  ...Object.fromEntries(UNARY.map((op) => [op, same])),
  ...Object.fromEntries(BINARY.map((op) => [op, elementwise])),
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: pool, AveragePool: pool, LpPool: pool,
  GlobalAveragePool: globalPool, GlobalMaxPool: globalPool, GlobalLpPool: globalPool,
  Gemm: gemm,
  MatMul: matmul,
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Concat: concat,
  Gather: gather,
  Shape: shapeOp,
  Size: scalarOf('int64'),
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Slice: slice,
  ReduceMean: reduce, ReduceSum: reduce, ReduceMax: reduce, ReduceMin: reduce, ReduceProd: reduce,
  ReduceL1: reduce, ReduceL2: reduce, ReduceSumSquare: reduce, ReduceLogSumExp: reduce,
  ArgMax: argReduce, ArgMin: argReduce,
  Resize: resize, Upsample: resize,
  Split: split,
  Expand: expand,
  Tile: tile,
  Pad: pad,
  Cast: cast,
  Identity: identity, Dropout: identity,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Range: range,
  LayerNormalization: layerNorm,
  TopK: topK,
};
