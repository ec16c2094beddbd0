/** Models the benchmarks make for themselves, written once into a temp folder. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from '../src/onnx/read.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** y = relu(x W), W n x n, seeded: a model whose run is short and steady. */
export function benchModelPath(name: string, n: number): string {
  const dir = join(tmpdir(), 'infermark-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.onnx`);
  if (existsSync(path)) return path;
  const w = new Float32Array(n * n).map((_, i) => ((i * 7919) % 101) / 101 - 0.5);
  const vi = (name: string) => ({ name, type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: n }] } } } });
  writeFileSync(path, onnx.ModelProto.encode({
    irVersion: 8, producerName: 'infermark-bench', opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name,
      node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['h'] }, { opType: 'Relu', input: ['h'], output: ['y'] }],
      initializer: [{ name: 'W', dataType: FLOAT, dims: [n, n], rawData: new Uint8Array(w.buffer) }],
      input: [vi('x')],
      output: [vi('y')],
    },
  }).finish());
  return path;
}
