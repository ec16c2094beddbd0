/**
 * The attribute checks onnxruntime's model checker makes before it runs a
 * graph, made here on the IR so that tfjs and torch refuse what onnxruntime
 * refuses, with the reason, instead of handing a wasm kernel a pad of
 * 2^63 − 1 or an empty pads list (which corrupts its memory).
 */
import { InputError } from '../errors/input-error.js';
import type { AttrValue, GraphIR, NodeIR } from './ir-types.js';

const WINDOWED = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'LpPool', 'ConvInteger', 'QLinearConv']);
const WITH_EPSILON = new Set(['BatchNormalization', 'InstanceNormalization', 'LayerNormalization', 'GroupNormalization', 'SkipLayerNormalization', 'SimplifiedLayerNormalization', 'RMSNormalization']);

function fail(node: NodeIR, message: string): never {
  throw new InputError('model', `model: node ${JSON.stringify(node.name)} (${node.opType}): ${message}; onnxruntime rejects this model too`);
}

function intList(node: NodeIR, name: string): number[] | undefined {
  const v: AttrValue | undefined = node.attrs[name];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) fail(node, `attribute ${name} is not a list of integers`);
  return v as number[];
}

/** Spatial rank from kernel_shape, else from the weight's declared shape. */
function spatialRank(node: NodeIR, ir: GraphIR): number | undefined {
  const kernel = intList(node, 'kernel_shape');
  if (kernel) return kernel.length;
  const w = node.opType.startsWith('Conv') ? ir.initializers.get(node.inputs[1]) : undefined;
  return w ? w.shape.length - 2 : undefined;
}

function checkWindowed(node: NodeIR, ir: GraphIR): void {
  const rank = spatialRank(node, ir);
  const check = (name: string, perAxis: number, min: number) => {
    const v = intList(node, name);
    if (!v) return;
    if (rank !== undefined && v.length !== rank * perAxis) {
      fail(node, `attribute ${name} has ${v.length} values [${v.join(', ')}]; allowed: ${rank * perAxis} (${perAxis === 2 ? 'a begin and an end per spatial axis' : 'one per spatial axis'})`);
    }
    if (rank === undefined && v.length === 0) fail(node, `attribute ${name} is empty`);
    for (const x of v) {
      if (!Number.isSafeInteger(x) || x < min) fail(node, `attribute ${name} holds ${x}; allowed: whole numbers >= ${min}`);
    }
  };
  check('kernel_shape', 1, 1);
  check('pads', 2, 0);
  check('strides', 1, 1);
  check('dilations', 1, 1);
  check('output_padding', 1, 0);
}

function checkEpsilon(node: NodeIR): void {
  const eps = node.attrs.epsilon;
  if (eps === undefined) return;
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) fail(node, `attribute epsilon is ${String(eps)}; allowed: a finite number >= 0`);
}

/** Throws an InputError at the first node whose attributes onnxruntime would refuse. */
export function checkGraphAttributes(ir: GraphIR): void {
  for (const node of ir.nodes) {
    if (WINDOWED.has(node.opType)) checkWindowed(node, ir);
    if (WITH_EPSILON.has(node.opType)) checkEpsilon(node);
    for (const v of Object.values(node.attrs)) {
      if (v && typeof v === 'object' && !Array.isArray(v) && 'nodes' in v) checkGraphAttributes(v);
    }
  }
}
