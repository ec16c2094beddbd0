/**
 * Mutated ONNX models from a seed: truncations, byte flips, and
 * protobuf-aware edits of dims, element types, attributes, raw_data,
 * external data, node wiring (cycles) and nesting depth. Each model is
 * written into one folder with a sidecar weight file for the external-data
 * cases; the label says which mutation made it, for a failing test to name.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type onnxProto from 'onnx-proto';
import { onnx, decodeModel } from '../../src/onnx/read.js';
import { createPrng, type Prng } from '../../src/random/prng.js';
import { modelBytes, randomFloats, int, ints, float } from '../tfjs-helpers.js';

type ModelProto = onnxProto.onnx.IModelProto;

export interface FuzzCase { file: string; label: string }

const BASES: Uint8Array[] = [
  modelBytes({
    nodes: [
      { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]), strides: ints([1, 1]) } },
      { op: 'BatchNormalization', inputs: ['c', 's', 'bb', 'm', 'v'], outputs: ['n'], attrs: { epsilon: float(1e-5) } },
      { op: 'Relu', inputs: ['n'], outputs: ['r'] },
      { op: 'MaxPool', inputs: ['r'], outputs: ['y'], attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]) } },
    ],
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 6, 6] }],
    initializers: {
      w: randomFloats([3, 2, 3, 3], 1), b: randomFloats([3], 2), s: randomFloats([3], 3), bb: randomFloats([3], 4), m: randomFloats([3], 5),
      v: { dtype: 'float32', shape: [3], data: Float32Array.from([1, 2, 3]) },
    },
    outputs: [{ name: 'y', dtype: 'float32' }],
  }),
  modelBytes({
    nodes: [
      { op: 'MatMul', inputs: ['x', 'w'], outputs: ['h'] },
      { op: 'Add', inputs: ['h', 'b'], outputs: ['a'] },
      { op: 'Softmax', inputs: ['a'], outputs: ['y'], attrs: { axis: int(-1) } },
    ],
    inputs: [{ name: 'x', dtype: 'float32', shape: [2, 4] }],
    initializers: { w: randomFloats([4, 5], 6), b: randomFloats([5], 7) },
    outputs: [{ name: 'y', dtype: 'float32' }],
  }),
  modelBytes({
    nodes: [{ op: 'Reshape', inputs: ['x', 'shape'], outputs: ['r'] }, { op: 'Transpose', inputs: ['r'], outputs: ['y'], attrs: { perm: ints([1, 0]) } }],
    inputs: [{ name: 'x', dtype: 'float32', shape: [2, 3] }],
    initializers: { shape: { dtype: 'int64', shape: [2], data: BigInt64Array.from([3n, 2n]) } },
    outputs: [{ name: 'y', dtype: 'float32' }],
  }),
];

const WILD_INTS = [0, -1, 1, 2, 3, 7, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 40, 536_870_912, Number.MAX_SAFE_INTEGER, -(2 ** 31)];
const WILD_FLOATS = [NaN, Infinity, -Infinity, 0, -1, 1e30, 1e-45];

const pick = <T>(rng: Prng, xs: readonly T[]): T => xs[rng.int(0, xs.length)];

function protoMutation(rng: Prng, m: ModelProto): string {
  const g = m.graph!;
  const inits = g.initializer ?? [];
  const nodes = g.node ?? [];
  const kind = rng.int(0, 11);
  switch (kind) {
    case 0: {
      const t = pick(rng, inits);
      const dims = [...(t.dims ?? [])];
      if (dims.length === 0 || rng.next() < 0.2) dims.push(pick(rng, WILD_INTS));
      else dims[rng.int(0, dims.length)] = pick(rng, WILD_INTS);
      t.dims = dims;
      return `dims of ${t.name} -> [${dims.join(',')}]`;
    }
    case 1: {
      const t = pick(rng, inits);
      t.dataType = rng.int(0, 25);
      return `dataType of ${t.name} -> ${t.dataType}`;
    }
    case 2: {
      const v = pick(rng, [...(g.input ?? []), ...(g.output ?? [])]);
      if (v.type?.tensorType) v.type.tensorType.elemType = pick(rng, [0, 8, 12, 14, 16, 18, 21, 22, 99, 1, 7]);
      return `elemType of ${v.name} -> ${v.type?.tensorType?.elemType}`;
    }
    case 3: {
      const n = pick(rng, nodes);
      const a = n.attribute?.length ? pick(rng, n.attribute) : undefined;
      if (!a) return 'no attribute to change';
      if (a.ints?.length || a.type === onnx.AttributeProto.AttributeType.INTS) {
        const choice = rng.int(0, 3);
        a.ints = choice === 0 ? [] : choice === 1 ? (a.ints ?? []).map(() => pick(rng, WILD_INTS)) : [...(a.ints ?? []), pick(rng, WILD_INTS)];
      } else if (a.type === onnx.AttributeProto.AttributeType.FLOAT) {
        a.f = pick(rng, WILD_FLOATS);
      } else {
        a.i = pick(rng, WILD_INTS);
      }
      return `attribute ${a.name} of ${n.opType} -> ${JSON.stringify(a.ints ?? a.f ?? a.i)}`;
    }
    case 4: {
      const t = pick(rng, inits);
      const raw = t.rawData ?? new Uint8Array();
      const len = pick(rng, [0, 1, raw.length - 1, raw.length + 4, raw.length * 3, 256]);
      t.rawData = new Uint8Array(Math.max(len, 0));
      return `raw_data of ${t.name} -> ${len} bytes`;
    }
    case 5: {
      const t = pick(rng, inits);
      t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
      t.rawData = new Uint8Array();
      const location = pick(rng, ['weights.bin', '../weights.bin', '/etc/passwd', '/dev/zero', 'missing.bin', undefined, 'nested/../../x']);
      const offset = pick(rng, [0, 4, 1 << 30, -1]);
      const length = pick(rng, [undefined, 16, 1 << 30]);
      t.externalData = [
        ...(location !== undefined ? [{ key: 'location', value: location }] : []),
        { key: 'offset', value: String(offset) },
        ...(length !== undefined ? [{ key: 'length', value: String(length) }] : []),
      ];
      return `external data of ${t.name}: ${location} @${offset}+${length}`;
    }
    case 6: {
      const n = pick(rng, nodes);
      n.input = [...(n.input ?? [])];
      n.input[0] = n.output?.[0] ?? 'nowhere';
      return `cycle: ${n.opType} reads its own output`;
    }
    case 7: {
      const n = pick(rng, nodes);
      n.input = [...(n.input ?? []), ...Array.from({ length: rng.int(1, 4) }, () => pick(rng, ['', 'ghost', 'x']))];
      return `extra inputs on ${n.opType}`;
    }
    case 8: {
      // Deep nesting: an If whose branches hold Ifs, many levels down.
      const leaf: onnxProto.onnx.IGraphProto = { name: 'leaf', node: [{ opType: 'Identity', input: ['x'], output: ['z'] }], output: [{ name: 'z', type: { tensorType: { elemType: 1 } } }] };
      // Only one branch nests: sharing both would double the encoded size at every level.
      let inner = leaf;
      const depth = pick(rng, [8, 64, 400]);
      for (let d = 0; d < depth; d++) {
        inner = { name: `g${d}`, node: [{ opType: 'If', input: ['cond'], output: ['z'], attribute: [{ name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: inner }, { name: 'else_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: leaf }] }], output: [{ name: 'z', type: { tensorType: { elemType: 1 } } }] };
      }
      g.node = [...nodes, ...inner.node!];
      return `nested If, depth ${depth}`;
    }
    case 9: {
      const n = pick(rng, nodes);
      n.opType = pick(rng, ['', 'Conv', 'Gemm', 'Loop', 'Scan', 'NoSuchOp', 'Resize', 'Gather']);
      return `op type -> ${n.opType}`;
    }
    default: {
      const v = pick(rng, g.input ?? []);
      const dim = v.type?.tensorType?.shape?.dim ?? [];
      if (dim.length) dim[rng.int(0, dim.length)] = rng.next() < 0.5 ? { dimValue: pick(rng, WILD_INTS) } : { dimParam: 'n' };
      return `input dims of ${v.name}`;
    }
  }
}

/** `count` mutated models into `dir`, reproducible from `seed`. */
export function generateCases(dir: string, seed: number, count: number): FuzzCase[] {
  const rng = createPrng(seed);
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(4096).fill(1));
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const baseIndex = rng.int(0, BASES.length);
    const base = BASES[baseIndex];
    let bytes: Uint8Array;
    let label: string;
    const roll = rng.next();
    if (roll < 0.15) {
      const at = rng.int(0, base.length);
      bytes = base.subarray(0, at);
      label = `truncated at ${at}/${base.length}`;
    } else if (roll < 0.35) {
      bytes = Uint8Array.from(base);
      const flips = rng.int(1, 9);
      for (let f = 0; f < flips; f++) bytes[rng.int(0, bytes.length)] ^= 1 << rng.int(0, 8);
      label = `${flips} byte flip(s)`;
    } else {
      const m = decodeModel(base);
      const steps = rng.int(1, 3);
      const labels: string[] = [];
      for (let s = 0; s < steps; s++) labels.push(protoMutation(rng, m));
      try {
        bytes = onnx.ModelProto.encode(m).finish();
      } catch {
        bytes = base;
        labels.push('(unencodable, base kept)');
      }
      label = labels.join('; ');
    }
    const file = join(dir, `case-${i}.onnx`);
    writeFileSync(file, bytes);
    cases.push({ file, label: `case ${i} (base ${baseIndex}): ${label}` });
  }
  return cases;
}
