/**
 * A Session over an onnxruntime InferenceSession. onnxruntime-node and
 * onnxruntime-web share onnxruntime-common's API, so one class serves both.
 */
import type { HostTensor, Session, TensorInfo } from './runtime.js';
import { hostFromOrt, infoFromOrt } from './tensors.js';

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

  prepare(feeds: Record<string, HostTensor>): OrtFeeds {
    const out: OrtFeeds = {};
    for (const [name, t] of Object.entries(feeds)) out[name] = new this.ort.Tensor(t.dtype as never, t.data as never, t.shape);
    return out;
  }

  run(prepared: OrtFeeds): Promise<OrtFeeds> {
    return this.session.run(prepared as never);
  }

  async readOutputs(raw: OrtFeeds): Promise<Record<string, HostTensor>> {
    const out: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(raw)) out[name] = hostFromOrt(t);
    return out;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
