/**
 * A tfjs Session: inputs are uploaded in prepare() (untimed), run() executes
 * the imported graph and waits for the output data, so a timed run includes
 * all the computation, and frees the output tensors at once (the runner may
 * call run() thousands of times without reading the outputs).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HostTensor, Session, TensorInfo } from '../runtime.js';
import { hostFromData, tensorFromHost } from './host.js';
import type { ImportedGraph } from './importer.js';
import { faultError, isWasmFault, recoverBackend } from './recover.js';

interface RawOutputs {
  shapes: number[][];
  data: tf.TypedArray[];
}

export class TfjsSession implements Session<Record<string, tf.Tensor>, RawOutputs> {
  private readonly uploaded: tf.Tensor[] = [];
  /** Set when a failure made us rebuild the backend: this session's tensors died with the old one. */
  private orphaned = false;

  constructor(
    private readonly graph: ImportedGraph,
    readonly inputs: TensorInfo[],
    readonly outputs: TensorInfo[],
  ) {}

  prepare(feeds: Record<string, HostTensor>): Record<string, tf.Tensor> {
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
      outs = this.graph.execute(prepared as Record<string, tf.Tensor>);
    } catch (err) {
      // A kernel that failed may have broken the backend for every later model in this process.
      this.orphaned = await recoverBackend(isWasmFault(err));
      throw faultError(err, this.orphaned);
    }
    try {
      const data = await Promise.all(outs.map((t) => t.data()));
      return { shapes: outs.map((t) => [...t.shape]), data } satisfies RawOutputs;
    } finally {
      for (const t of outs) t.dispose();
    }
  }

  async readOutputs(raw: RawOutputs): Promise<Record<string, HostTensor>> {
    const { shapes, data } = raw as RawOutputs;
    const out: Record<string, HostTensor> = {};
    this.outputs.forEach((info, i) => { out[info.name] = hostFromData(data[i], shapes[i], info.dtype); });
    return out;
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
