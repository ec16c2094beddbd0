/**
 * The arithmetic of one node, from its input and output shapes.
 *
 * Conventions (docs/zoo.md): a MAC is one multiply-accumulate of a
 * convolution, matrix product or fully connected layer; those ops cost
 * 2 FLOPs per MAC, plus one FLOP per output for an added bias. Every other op
 * has no MACs; its FLOPs are its elementwise work: 1 per output element for
 * arithmetic and activations, 2 for an inference BatchNormalization (scale
 * and shift), 5 for Layer/Instance/Group normalisation, 3 for Softmax,
 * 1 per input element for reductions and global pooling, 1 per window
 * element for pooling. Moving data (Reshape, Transpose, Concat, Gather,
 * Slice...) costs nothing.
 */
import type { NodeIR } from './ir.js';
import { elements, type ValueState } from './shape-values.js';

export interface OpCost {
  macs: number;
  flops: number;
}

type CostRule = (node: NodeIR, ins: (ValueState | undefined)[], outs: ValueState[]) => OpCost;

const ZERO: OpCost = { macs: 0, flops: 0 };
const outElems = (outs: ValueState[]) => elements(outs[0].shape);

function kernelOf(node: NodeIR, w: number[]): number[] {
  const k = node.attrs.kernel_shape;
  return Array.isArray(k) ? (k as number[]) : w.slice(2);
}

const conv: CostRule = (node, ins, outs) => {
  const w = ins[1]!.shape;
  // W is [M, C/group, k...]: each output element reads C/group * prod(k) inputs.
  const macs = outElems(outs) * w[1] * elements(kernelOf(node, w));
  return { macs, flops: 2 * macs + (ins[2] ? outElems(outs) : 0) };
};

const convTranspose: CostRule = (node, ins, outs) => {
  const x = ins[0]!.shape;
  const w = ins[1]!.shape;
  // Every input element is scattered to (M/group) * prod(k) outputs; W is [C, M/group, k...].
  const macs = elements(x) * w[1] * elements(kernelOf(node, w));
  return { macs, flops: 2 * macs + (ins[2] ? outElems(outs) : 0) };
};

const gemm: CostRule = (node, ins, outs) => {
  const a = ins[0]!.shape;
  const k = node.attrs.transA === 1 ? a[0] : a[1];
  const macs = outElems(outs) * k;
  return { macs, flops: 2 * macs + (ins[2] ? outElems(outs) : 0) };
};

const matmul: CostRule = (_node, ins, outs) => {
  const a = ins[0]!.shape;
  const macs = outElems(outs) * a[a.length - 1];
  return { macs, flops: 2 * macs };
};

const perOutput = (factor: number): CostRule => (_n, _i, outs) => ({ macs: 0, flops: factor * outElems(outs) });
const perInput: CostRule = (_n, ins) => ({ macs: 0, flops: elements(ins[0]!.shape) });

const pool: CostRule = (node, _ins, outs) => {
  const k = node.attrs.kernel_shape;
  return { macs: 0, flops: outElems(outs) * (Array.isArray(k) ? elements(k as number[]) : 1) };
};

const free: CostRule = () => ZERO;

const ELEMENTWISE = [
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual',
  'And', 'Or', 'Xor', 'Mod', 'Where', 'PRelu', 'BitShift', 'Not',
  'Relu', 'Sigmoid', 'Tanh', 'Erf', 'Sqrt', 'Exp', 'Log', 'Abs', 'Neg', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign',
  'LeakyRelu', 'Elu', 'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign', 'Gelu', 'Mish', 'Clip',
  'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'IsNaN', 'IsInf', 'ThresholdedRelu', 'Shrink', 'CumSum',
  'QuickGelu', 'Resize', 'Upsample', 'LpNormalization', 'LRN', 'Hardmax',
];
const DATA_MOVEMENT = [
  'Reshape', 'Flatten', 'Transpose', 'Concat', 'Gather', 'Shape', 'Size', 'Unsqueeze', 'Squeeze', 'Slice', 'Split',
  'Expand', 'Tile', 'Pad', 'Cast', 'Identity', 'Dropout', 'Constant', 'ConstantOfShape', 'Range', 'ArgMax', 'ArgMin', 'TopK',
];
const REDUCTIONS = [
  'ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSumExp',
  'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool',
];

export const COST_RULES: Record<string, CostRule> = {
  ...Object.fromEntries(ELEMENTWISE.map((op) => [op, perOutput(1)])),
  ...Object.fromEntries(DATA_MOVEMENT.map((op) => [op, free])),
  ...Object.fromEntries(REDUCTIONS.map((op) => [op, perInput])),
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MatMul: matmul,
  MaxPool: pool, AveragePool: pool, LpPool: pool,
  BatchNormalization: perOutput(2),
  LayerNormalization: perOutput(5), InstanceNormalization: perOutput(5), GroupNormalization: perOutput(5),
  MeanVarianceNormalization: perOutput(5),
  Softmax: perOutput(3), LogSoftmax: perOutput(3),
};
