/** Small ONNX models the core's tests make themselves. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from '../../src/onnx/read.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

type Dim = number | string;
function vi(name: string, elemType: number, dims: Dim[]) {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function encode(graph: Parameters<typeof onnx.GraphProto.create>[0]): Uint8Array {
  return onnx.ModelProto.encode({ irVersion: 8, producerName: 'infermark-test', opsetImport: [{ domain: '', version: 17 }], graph }).finish();
}

/** y = x + x, x float32 [batch, width]. */
export function addModelBytes(width = 4, batch: Dim = 'batch'): Uint8Array {
  return encode({
    name: 'add',
    node: [{ opType: 'Add', input: ['x', 'x'], output: ['y'], name: 'add' }],
    input: [vi('x', FLOAT, [batch, width])],
    output: [vi('y', FLOAT, [batch, width])],
  });
}

/** y = relu(x W), x float32 [batch, n], W n x n seeded: enough work to time. */
export function matmulModelBytes(n = 64): Uint8Array {
  const w = new Float32Array(n * n);
  for (let i = 0; i < w.length; i++) w[i] = ((i * 7919) % 101) / 101 - 0.5;
  return encode({
    name: 'matmul',
    node: [
      { opType: 'MatMul', input: ['x', 'W'], output: ['h'], name: 'mm' },
      { opType: 'Relu', input: ['h'], output: ['y'], name: 'relu' },
    ],
    initializer: [{ name: 'W', dataType: FLOAT, dims: [n, n], rawData: new Uint8Array(w.buffer) }],
    input: [vi('x', FLOAT, ['batch', n])],
    output: [vi('y', FLOAT, ['batch', n])],
  });
}

/** Token ids int64 [batch, seq] through an embedding table of `vocab` rows: a text-model input. */
export function embeddingModelBytes(vocab = 50, width = 8): Uint8Array {
  const table = new Float32Array(vocab * width).map((_, i) => (i % 13) / 13);
  return encode({
    name: 'embed',
    node: [{ opType: 'Gather', input: ['table', 'input_ids'], output: ['y'], name: 'gather' }],
    initializer: [{ name: 'table', dataType: FLOAT, dims: [vocab, width], rawData: new Uint8Array(table.buffer) }],
    input: [vi('input_ids', INT64, ['batch', 'seq'])],
    output: [vi('y', FLOAT, ['batch', 'seq', width])],
  });
}

/** A model that onnxruntime rejects at load: an operator that does not exist. */
export function unknownOpModelBytes(): Uint8Array {
  return encode({
    name: 'bad',
    node: [{ opType: 'NoSuchOperator', input: ['x'], output: ['y'], name: 'bad' }],
    input: [vi('x', FLOAT, ['batch', 4])],
    output: [vi('y', FLOAT, ['batch', 4])],
  });
}

/** A temporary folder, removed when the test process exits (tests leave nothing behind in the temp dir). */
export function tempDir(prefix = 'infermark-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeModel(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
