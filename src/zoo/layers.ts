/**
 * Layers of the zoo's networks, written once on top of GraphBuilder: each
 * adds its nodes and seeded weights and counts its learnable parameters the
 * way PyTorch does (batch-norm running statistics and fixed index tables are
 * buffers, not parameters). Weight names follow the reference state_dict
 * names (layer1.0.conv1.weight...), which makes a comparison easy.
 */
import { GraphBuilder, type Dim } from '../onnx/builder.js';
import { int64, scalarFloat32 } from '../onnx/tensors.js';
import type { TensorSource } from '../onnx/tensors.js';
import { biasUniform, glorotUniform, heUniform, nearConstant } from './weights.js';

/** A feature map: value name, channels, and spatial size (square images). */
export interface FeatureMap {
  v: string;
  channels: number;
  size: number;
}

export type WeightInit = 'he' | 'glorot';

export interface ConvSpec {
  out: number;
  kernel: number;
  stride?: number;
  /** Default (kernel - 1) / 2, "same" for odd kernels at stride 1. */
  pad?: number;
  groups?: number;
  bias?: boolean;
  init?: WeightInit;
}

export class ZooBuilder {
  readonly g: GraphBuilder;
  readonly seed: number;
  readonly opset: number;
  /** Learnable parameters, as torch counts them. */
  params = 0;
  private readonly scalars = new Map<string, string>();

  constructor(name: string, seed: number, opset: number) {
    this.g = new GraphBuilder(name);
    this.seed = seed;
    this.opset = opset;
  }

  param(name: string, t: TensorSource): string {
    this.params += t.shape.reduce((a, b) => a * b, 1);
    return this.g.initializer(name, t);
  }

  buffer(name: string, t: TensorSource): string {
    return this.g.initializer(name, t);
  }

  /** A float32 scalar constant, shared by every node that uses the same value. */
  scalar(value: number): string {
    const key = String(value);
    let name = this.scalars.get(key);
    if (!name) {
      name = this.g.constant('const', scalarFloat32(value));
      this.scalars.set(key, name);
    }
    return name;
  }

  ints(prefix: string, values: number[]): string {
    return this.g.constant(prefix, int64(values));
  }

  conv(x: FeatureMap, prefix: string, spec: ConvSpec): FeatureMap {
    const { out, kernel } = spec;
    const stride = spec.stride ?? 1;
    const pad = spec.pad ?? Math.floor((kernel - 1) / 2);
    const groups = spec.groups ?? 1;
    if (x.channels % groups !== 0 || out % groups !== 0) throw new Error(`${prefix}: channels ${x.channels} -> ${out} not divisible by groups ${groups}`);
    const fanIn = (x.channels / groups) * kernel * kernel;
    const shape = [out, x.channels / groups, kernel, kernel];
    const init = spec.init === 'glorot'
      ? glorotUniform(this.seed, `${prefix}.weight`, shape, fanIn, (out / groups) * kernel * kernel)
      : heUniform(this.seed, `${prefix}.weight`, shape, fanIn);
    const inputs = [x.v, this.param(`${prefix}.weight`, init)];
    if (spec.bias) inputs.push(this.param(`${prefix}.bias`, biasUniform(this.seed, `${prefix}.bias`, [out], fanIn)));
    const v = this.g.node('Conv', inputs, {
      kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad], group: groups, dilations: [1, 1],
    }, { name: prefix });
    return { v, channels: out, size: Math.floor((x.size + 2 * pad - kernel) / stride) + 1 };
  }

  /** Inference batch norm, near identity: scale ~1, shift ~0, mean ~0, variance ~1. */
  batchNorm(x: FeatureMap, prefix: string, epsilon = 1e-5): FeatureMap {
    const c = [x.channels];
    const s = this.seed;
    const v = this.g.node('BatchNormalization', [
      x.v,
      this.param(`${prefix}.weight`, nearConstant(s, `${prefix}.weight`, c, 1, 0.1)),
      this.param(`${prefix}.bias`, nearConstant(s, `${prefix}.bias`, c, 0, 0.05)),
      this.buffer(`${prefix}.running_mean`, nearConstant(s, `${prefix}.running_mean`, c, 0, 0.05)),
      this.buffer(`${prefix}.running_var`, nearConstant(s, `${prefix}.running_var`, c, 1, 0.1)),
    ], { epsilon }, { name: prefix });
    return { ...x, v };
  }

  unary(op: 'Relu' | 'Sigmoid' | 'Tanh' | 'Erf' | 'Sqrt', x: FeatureMap): FeatureMap {
    return { ...x, v: this.g.node(op, [x.v]) };
  }

  relu(x: FeatureMap): FeatureMap {
    return this.unary('Relu', x);
  }

  /** ReLU6 = Clip(x, 0, 6); min and max are inputs since opset 11. */
  relu6(x: FeatureMap): FeatureMap {
    return { ...x, v: this.g.node('Clip', [x.v, this.scalar(0), this.scalar(6)]) };
  }

  /** SiLU (swish) = x * sigmoid(x). */
  silu(x: FeatureMap): FeatureMap {
    return { ...x, v: this.g.node('Mul', [x.v, this.g.node('Sigmoid', [x.v])]) };
  }

  add(a: FeatureMap, b: FeatureMap): FeatureMap {
    return { ...a, v: this.g.node('Add', [a.v, b.v]) };
  }

  maxPool(x: FeatureMap, kernel: number, stride: number, pad: number): FeatureMap {
    const v = this.g.node('MaxPool', [x.v], { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad] });
    return { ...x, v, size: Math.floor((x.size + 2 * pad - kernel) / stride) + 1 };
  }

  avgPool(x: FeatureMap, kernel: number, stride: number): FeatureMap {
    const v = this.g.node('AveragePool', [x.v], { kernel_shape: [kernel, kernel], strides: [stride, stride] });
    return { ...x, v, size: Math.floor((x.size - kernel) / stride) + 1 };
  }

  globalAvgPool(x: FeatureMap): FeatureMap {
    return { ...x, v: this.g.node('GlobalAveragePool', [x.v]), size: 1 };
  }

  concat(xs: FeatureMap[]): FeatureMap {
    if (xs.length === 1) return xs[0];
    const v = this.g.node('Concat', xs.map((x) => x.v), { axis: 1 });
    return { v, channels: xs.reduce((n, x) => n + x.channels, 0), size: xs[0].size };
  }

  /** [N, C, H, W] -> [N, C*H*W]. */
  flatten(x: FeatureMap): { v: string; features: number } {
    return { v: this.g.node('Flatten', [x.v], { axis: 1 }), features: x.channels * x.size * x.size };
  }

  /** Fully connected on [N, in] as Gemm with a torch-layout weight [out, in]. */
  linear(v: string, prefix: string, inF: number, outF: number, init: WeightInit, outName?: string): string {
    const w = init === 'he'
      ? heUniform(this.seed, `${prefix}.weight`, [outF, inF], inF)
      : glorotUniform(this.seed, `${prefix}.weight`, [outF, inF], inF, outF);
    return this.g.node('Gemm', [
      v,
      this.param(`${prefix}.weight`, w),
      this.param(`${prefix}.bias`, biasUniform(this.seed, `${prefix}.bias`, [outF], inF)),
    ], { transB: 1 }, { name: prefix, outputs: outName ? [outName] : 1 });
  }

  /**
   * Fully connected on [..., in] as MatMul + Add. The weight is stored
   * [in, out] (torch's transposed), which MatMul wants; same parameter count.
   */
  dense(v: string, prefix: string, inF: number, outF: number): string {
    const w = this.param(`${prefix}.weight`, glorotUniform(this.seed, `${prefix}.weight`, [inF, outF], inF, outF));
    const b = this.param(`${prefix}.bias`, biasUniform(this.seed, `${prefix}.bias`, [outF], inF));
    return this.g.node('Add', [this.g.node('MatMul', [v, w], {}, { name: `${prefix}.matmul` }), b]);
  }

  /**
   * Layer normalisation over the last axis: the LayerNormalization operator
   * from opset 17, the equivalent primitive operators below it.
   */
  layerNorm(v: string, prefix: string, width: number, epsilon: number): string {
    const s = this.seed;
    const gamma = this.param(`${prefix}.weight`, nearConstant(s, `${prefix}.weight`, [width], 1, 0.1));
    const beta = this.param(`${prefix}.bias`, nearConstant(s, `${prefix}.bias`, [width], 0, 0.02));
    if (this.opset >= 17) return this.g.node('LayerNormalization', [v, gamma, beta], { axis: -1, epsilon }, { name: prefix });
    const mean = this.g.node('ReduceMean', [v], { axes: [-1], keepdims: 1 });
    const centred = this.g.node('Sub', [v, mean]);
    const variance = this.g.node('ReduceMean', [this.g.node('Mul', [centred, centred])], { axes: [-1], keepdims: 1 });
    const std = this.g.node('Sqrt', [this.g.node('Add', [variance, this.scalar(epsilon)])]);
    const normed = this.g.node('Div', [centred, std]);
    return this.g.node('Add', [this.g.node('Mul', [normed, gamma]), beta]);
  }

  /** The exact GELU, x * 0.5 * (1 + erf(x / sqrt 2)), as primitive operators (Gelu is opset 20). */
  gelu(v: string): string {
    const erf = this.g.node('Erf', [this.g.node('Mul', [v, this.scalar(Math.SQRT1_2)])]);
    return this.g.node('Mul', [this.g.node('Mul', [v, this.scalar(0.5)]), this.g.node('Add', [erf, this.scalar(1)])]);
  }
}

export function batchDim(batch: 'dynamic' | number): Dim {
  return batch === 'dynamic' ? 'batch' : batch;
}

