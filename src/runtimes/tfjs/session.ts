/**
 * A tfjs Session: inputs are uploaded in prepare() (untimed), run() executes
 * the imported graph and waits for the output data, so a timed run includes
 * all the computation, and frees the output tensors at once (the runner may
 * call run() thousands of times without reading the outputs).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HostTensor, Session, Tensor, TensorInfo } from '../runtime.js';
import { tensorFromHost, valueFromData } from './host.js';
import { faultError, isWasmFault, recoverBackend } from './recover.js';
import { numericOutputs } from '../tensors.js';

/** What a session runs: the imported ONNX graph, or a TensorFlow.js model read from its model.json. */
export interface TfjsProgram {
  /** Outputs in the session's output order; the caller disposes them. */
  execute(feeds: Record<string, tf.Tensor>): tf.Tensor[] | Promise<tf.Tensor[]>;
  dispose(): void;
}

interface RawOutputs {
  shapes: number[][];
  /** Numbers, or the strings of a string output. */
  data: (tf.TypedArray | string[])[];
}

export class TfjsSession implements Session<Record<string, tf.Tensor>, RawOutputs> {
  private readonly uploaded: tf.Tensor[] = [];
  /** Set when a failure made us rebuild the backend: this session's tensors died with the old one. */
  private orphaned = false;

  constructor(
    private readonly graph: TfjsProgram,
    readonly inputs: TensorInfo[],
    readonly outputs: TensorInfo[],
  ) {}

  prepare(feeds: Record<string, Tensor>): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      out[name] = tensorFromHost(t);
      this.uploaded.push(out[name]);
    }
    return out;
  }

  async run(prepared: Record<string, tf.Tensor>): Promise<RawOutputs> {
    let outs: tf.Tensor[];
    try {
      outs = await this.graph.execute(prepared);
    } catch (err) {
      // A kernel that failed may have broken the backend for every later model in this process.
      this.orphaned = await recoverBackend(isWasmFault(err));
      throw faultError(err, this.orphaned);
    }
    try {
      const data = await Promise.all(outs.map((t) => t.data() as Promise<tf.TypedArray | string[]>));
      return { shapes: outs.map((t) => [...t.shape]), data } satisfies RawOutputs;
    } finally {
      for (const t of outs) t.dispose();
    }
  }

  async readValues(raw: RawOutputs): Promise<Record<string, Tensor>> {
    const { shapes, data } = raw;
    const out: Record<string, Tensor> = {};
    this.outputs.forEach((info, i) => { out[info.name] = valueFromData(data[i], shapes[i], info.dtype); });
    return out;
  }

  async readOutputs(raw: RawOutputs): Promise<Record<string, HostTensor>> {
    return numericOutputs(await this.readValues(raw));
  }

  async dispose(): Promise<void> {
    if (this.orphaned) {
      this.uploaded.length = 0;
      return;
    }
    this.graph.dispose();
    for (const t of this.uploaded) t.dispose();
    this.uploaded.length = 0;
  }
}
