/**
 * A TensorFlow.js model in its own format (model.json and weight shards) as
 * a program for the tfjs session: a graph model runs through
 * @tensorflow/tfjs-converter, a layers model through @tensorflow/tfjs-layers.
 * Inputs and outputs are the model's own signature.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ElementType, TensorInfo } from '../runtime.js';
import { readTfjsModel } from './model-json.js';
import type { TfjsProgram } from './session.js';

export interface NativeModel {
  program: TfjsProgram;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

const DTYPES = new Set<string>(['float32', 'int32', 'bool', 'string']);

function elementType(dtype: string | undefined, what: string): ElementType {
  const d = dtype ?? 'float32';
  if (!DTYPES.has(d)) throw new Error(`tfjs: ${what} has dtype ${d}; infermark carries float32, int32, bool and string tensors of a TensorFlow.js model`);
  return d as ElementType;
}

/** A signature shape: -1 or null is unknown; the first unknown dimension is the batch. */
function infoOf(name: string, shape: readonly (number | null)[] | undefined, dtype: string | undefined, what: string): TensorInfo {
  return {
    name,
    dtype: elementType(dtype, `${what} ${name}`),
    shape: (shape ?? []).map((d, i) => (d !== null && d >= 0 ? d : i === 0 ? 'batch' : null)),
  };
}

async function graphModel(artifacts: tf.io.ModelArtifacts): Promise<NativeModel> {
  const converter = await import('@tensorflow/tfjs-converter');
  const model = await converter.loadGraphModel({ load: async () => artifacts });
  const inputs = model.inputs.map((i) => infoOf(i.name, i.shape, i.dtype, 'input'));
  const outputs = model.outputs.map((o) => infoOf(o.name, o.shape, o.dtype, 'output'));
  const names = outputs.map((o) => o.name);
  // execute() refuses graphs with control flow or dynamic shapes; those run through executeAsync().
  let dynamic = false;
  const asList = (r: tf.Tensor | tf.Tensor[]) => (Array.isArray(r) ? r : [r]);
  return {
    inputs,
    outputs,
    program: {
      async execute(feeds) {
        if (!dynamic) {
          try {
            return asList(model.execute(feeds, names));
          } catch (err) {
            if (!/executeAsync/.test((err as Error).message)) throw err;
            dynamic = true;
          }
        }
        return asList(await model.executeAsync(feeds, names));
      },
      dispose: () => model.dispose(),
    },
  };
}

async function layersModel(artifacts: tf.io.ModelArtifacts): Promise<NativeModel> {
  const layers = await import('@tensorflow/tfjs-layers');
  const model = await layers.loadLayersModel({ load: async () => artifacts });
  // A loaded Sequential model leaves inputNames and outputNames empty, and its symbolic tensors' names
  // get a per-process counter; name its one input and output after its first and last layers (as
  // Sequential does in a fresh process), so every process that loads the model sees the same names.
  const layerNames = model.layers.map((l) => l.name);
  const inputs = model.inputs.map((i, k) => infoOf(model.inputNames[k] ?? `${layerNames[0]}_input`, i.shape, i.dtype, 'input'));
  const outputs = model.outputs.map((o, k) => infoOf(model.outputNames[k] ?? layerNames[layerNames.length - 1], o.shape, o.dtype, 'output'));
  return {
    inputs,
    outputs,
    program: {
      execute(feeds) {
        // One call on the whole batch (predict() would cut it into batches of 32).
        const out = model.predictOnBatch(inputs.map((i) => feeds[i.name]));
        return Array.isArray(out) ? out : [out];
      },
      dispose: () => { model.dispose(); },
    },
  };
}

export async function loadNativeModel(path: string): Promise<NativeModel> {
  const { kind, artifacts } = readTfjsModel(path);
  return kind === 'graph-model' ? graphModel(artifacts) : layersModel(artifacts);
}

/** A model.json's inputs and outputs, as a session would see them (read on the CPU backend, then freed). */
export async function nativeModelIO(path: string): Promise<{ inputs: TensorInfo[]; outputs: TensorInfo[] }> {
  const { activateBackend } = await import('./backends.js');
  await activateBackend('cpu', { numThreads: 1, simd: true });
  const native = await loadNativeModel(path);
  native.program.dispose();
  return { inputs: native.inputs, outputs: native.outputs };
}
