/**
 * The model with its symbolic input dimensions fixed to numbers, for
 * onnxruntime-web's webgl backend, which checks every feed against the
 * graph's declared shapes and cannot take a symbolic one.
 */
import { decodeModel, onnx } from '../../onnx/read.js';

export function fixSymbolicDims(bytes: Uint8Array, dims: Record<string, number>): Uint8Array {
  const model = decodeModel(bytes, 'model');
  for (const v of [...(model.graph?.input ?? []), ...(model.graph?.output ?? []), ...(model.graph?.valueInfo ?? [])]) {
    for (const d of v.type?.tensorType?.shape?.dim ?? []) {
      if (d.dimParam && dims[d.dimParam] !== undefined) {
        d.dimValue = dims[d.dimParam];
        d.dimParam = '';
      }
    }
  }
  return onnx.ModelProto.encode(model as never).finish();
}
