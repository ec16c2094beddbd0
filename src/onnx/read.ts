/**
 * Reading ONNX files through onnx-proto (the ONNX protobuf definition
 * compiled for protobufjs). Errors say what is wrong with the file.
 */
import onnxProto from 'onnx-proto';
import type { DType, ElementType, TensorInfo } from '../core/tensors.js';
import { InputError } from '../errors/input-error.js';
import { readRegularFile } from '../files/safe-read.js';

export const onnx = onnxProto.onnx;
export type ModelProto = onnxProto.onnx.IModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;

const DTYPE_BY_ELEM: Record<number, DType> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64',
  12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

export function dtypeOfElemType(elemType: number): DType {
  const dtype = DTYPE_BY_ELEM[elemType];
  if (!dtype) throw new InputError('model', `model: ONNX element type ${JSON.stringify(elemType)} is not supported; supported: ${Object.entries(DTYPE_BY_ELEM).map(([k, v]) => `${k} (${v})`).join(', ')}`);
  return dtype;
}

/** Decode model bytes; `field` names where the bytes came from in error messages. */
export function decodeModel(bytes: Uint8Array, field = 'model'): ModelProto {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    const reason = (err as Error).message;
    const truncated = /index out of range|premature|end of/i.test(reason);
    throw new InputError(field, truncated
      ? `${field}: the ONNX file is truncated (${bytes.length} bytes, decoding ran past the end); rebuild or download it again`
      : `${field}: not an ONNX model (protobuf decoding failed: ${reason}); give a .onnx file`);
  }
  const graph = model.graph;
  if (!graph || (!graph.node?.length && !graph.input?.length) || !model.irVersion) {
    throw new InputError(field, `${field}: not an ONNX model (no graph or IR version found in ${bytes.length} bytes); give a .onnx file`);
  }
  return model;
}

/** A model file's bytes, with errors that say what is wrong with the path (devices, FIFOs and huge files refused). */
export async function readModelBytes(path: string, field = 'model'): Promise<Buffer> {
  return readRegularFile(path, field);
}

export async function readModelFile(path: string, field = 'model'): Promise<ModelProto> {
  return decodeModel(await readModelBytes(path, field), field);
}

/** ONNX's string element type (TensorProto.DataType.STRING). */
export const STRING_ELEM_TYPE = 8;

/** Like dtypeOfElemType, but strings too: the element type of a value that may be a string tensor. */
export function elementTypeOf(elemType: number): ElementType {
  return elemType === STRING_ELEM_TYPE ? 'string' : dtypeOfElemType(elemType);
}

function dimsOf(type: onnxProto.onnx.ITypeProto | null | undefined): (number | string | null)[] {
  const dims = type?.tensorType?.shape?.dim ?? [];
  return dims.map((d) => {
    if (d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0) return Number(d.dimValue);
    if (d.dimParam) return d.dimParam;
    return null;
  });
}

function infoOf(v: onnxProto.onnx.IValueInfoProto): TensorInfo {
  return { name: v.name ?? '', dtype: elementTypeOf(v.type?.tensorType?.elemType ?? 0), shape: dimsOf(v.type) };
}

/** The graph's real inputs (initializers listed as inputs, as older exporters do, are left out) and outputs. */
export function modelIO(model: ModelProto): { inputs: TensorInfo[]; outputs: TensorInfo[] } {
  const graph = model.graph ?? {};
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  return {
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name)).map(infoOf),
    outputs: (graph.output ?? []).map(infoOf),
  };
}
