/**
 * A Session over an onnxruntime InferenceSession. onnxruntime-node and
 * onnxruntime-web share onnxruntime-common's API, so one class serves both.
 */
import type { HostTensor, ModelSource, Session, Tensor, TensorInfo } from './runtime.js';
import { readRegularFile } from '../files/safe-read.js';
import { decodeModel } from '../onnx/read.js';
import { modelNeeds, refusedValues } from '../onnx/model-needs.js';
import { valueRefusal } from './value-support.js';
import { hostFromOrt, infoFromOrt, numericOutputs } from './tensors.js';

interface OrtTensorLike { type: string; dims: readonly number[]; data: unknown }

/** The parts of onnxruntime's InferenceSession and Tensor this class uses. */
export interface OrtLike {
  Tensor: new (type: never, data: never, dims: readonly number[]) => OrtTensorLike;
}
export interface OrtInferenceSessionLike {
  readonly inputMetadata: readonly { name: string; isTensor: boolean }[];
  readonly outputMetadata: readonly { name: string; isTensor: boolean }[];
  run(feeds: never): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}

type OrtFeeds = Record<string, OrtTensorLike>;

export class OrtSession implements Session<OrtFeeds, OrtFeeds> {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];

  constructor(
    private readonly ort: OrtLike,
    private readonly session: OrtInferenceSessionLike,
    /** 'cold' when this load wrote an optimised-model cache, 'warm' when it read one. */
    readonly loadKind?: 'cold' | 'warm',
  ) {
    this.inputs = session.inputMetadata.map(infoFromOrt);
    this.outputs = session.outputMetadata.map(infoFromOrt);
  }

  prepare(feeds: Record<string, Tensor>): OrtFeeds {
    const out: OrtFeeds = {};
    for (const [name, t] of Object.entries(feeds)) out[name] = new this.ort.Tensor(t.dtype as never, t.data as never, t.shape);
    return out;
  }

  run(prepared: OrtFeeds): Promise<OrtFeeds> {
    return this.session.run(prepared as never);
  }

  async readValues(raw: OrtFeeds): Promise<Record<string, Tensor>> {
    const out: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(raw)) out[name] = hostFromOrt(t);
    return out;
  }

  async readOutputs(raw: OrtFeeds): Promise<Record<string, HostTensor>> {
    return numericOutputs(await this.readValues(raw));
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/**
 * onnxruntime refuses a session whose inputs or outputs have an element type
 * its JavaScript API lacks with only "Unsupported data type: 16"; say which
 * value it is and what to do (see value-support.ts). Other errors pass as they are.
 */
export function explainCreateError(err: unknown, runtime: string, model: ModelSource): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  if (!/unsupported data type/i.test(e.message)) return e;
  let reasons: string[] = [];
  try {
    const bytes = model.bytes ?? readRegularFile(model.path!, 'model');
    reasons = refusedValues(modelNeeds(decodeModel(bytes)), (role, name, elemType) => valueRefusal(runtime, role, name, elemType));
  } catch { /* the model cannot be read again: onnxruntime's own words are all there is */ }
  return reasons.length > 0 ? new Error(`${reasons.join('; ')} [onnxruntime: ${e.message.split('\n')[0]}]`) : e;
}
