/**
 * A one-node ONNX model (y = x + x) held in memory, used to probe whether an
 * execution provider can really create a session on this machine.
 */
import { onnx } from '../onnx/read.js';

let cached: Uint8Array | undefined;

export function probeModelBytes(): Uint8Array {
  if (cached) return cached;
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const valueInfo = (name: string) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: 4 }] } } },
  });
  cached = onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'infermark',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'probe',
      node: [{ opType: 'Add', input: ['x', 'x'], output: ['y'], name: 'add' }],
      input: [valueInfo('x')],
      output: [valueInfo('y')],
    },
  }).finish();
  return cached;
}
