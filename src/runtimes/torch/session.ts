/**
 * A torch session: owns one Python worker holding the loaded model. run()
 * and measureLoop() are requests to that worker; the loop and its clock run
 * inside it, so pipe transfers never enter a latency. A worker that failed
 * is never reused: every later call rejects with the original failure.
 */
import type { HostTensor, LoopMeasurement, Session, StoppingRule, TensorInfo } from '../runtime.js';
import { ProtocolError, type Frame } from './framing.js';
import { decodeTensor, encodeTensors } from './wire.js';
import type { WorkerClient } from './worker-client.js';

/** Inputs encoded once for the wire (prepare is not timed). */
interface PreparedFeeds {
  inputs: Record<string, unknown>;
  buffers: Uint8Array[];
}

export interface TorchSessionOptions {
  /** Per-request limit for run; the worker is killed past it. */
  runTimeoutMs: number;
}

export class TorchSession implements Session<PreparedFeeds, Frame> {
  constructor(
    private readonly worker: WorkerClient,
    readonly inputs: TensorInfo[],
    readonly outputs: TensorInfo[],
    private readonly opts: TorchSessionOptions,
    /** Time the worker spent building the model (import, mode set-up), ms. */
    readonly workerLoadMs: number,
  ) {}

  prepare(feeds: Record<string, HostTensor>): PreparedFeeds {
    const buffers: Uint8Array[] = [];
    return { inputs: encodeTensors(feeds, buffers), buffers } satisfies PreparedFeeds;
  }

  async run(prepared: PreparedFeeds): Promise<Frame> {
    const p = prepared as PreparedFeeds;
    return this.worker.request({ type: 'run', inputs: p.inputs }, p.buffers, this.opts.runTimeoutMs);
  }

  async readOutputs(raw: Frame): Promise<Record<string, HostTensor>> {
    const { header, buffers } = raw as { header: { outputs?: unknown }; buffers: Uint8Array[] };
    const outputs = header.outputs;
    if (!outputs || typeof outputs !== 'object') throw new ProtocolError('torch worker: a run reply without outputs');
    return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, decodeTensor(t, buffers, `output ${name}`)]));
  }

  async measureLoop(prepared: PreparedFeeds, rule: StoppingRule): Promise<LoopMeasurement> {
    const p = prepared as PreparedFeeds;
    // The loop may run up to maxTimeMs after a first inference and warm-up; allow for slow ones, then kill.
    const timeoutMs = rule.maxTimeMs + (rule.warmupMaxMs ?? rule.maxTimeMs) + 2 * this.opts.runTimeoutMs;
    const { header } = await this.worker.request({ type: 'measure', inputs: p.inputs, rule }, p.buffers, timeoutMs);
    return checkMeasurement(header);
  }

  async dispose(): Promise<void> {
    await this.worker.close();
  }
}

function checkMeasurement(h: Record<string, unknown>): LoopMeasurement {
  const num = (k: string): number => {
    if (typeof h[k] !== 'number' || !Number.isFinite(h[k])) throw new ProtocolError(`torch worker: measurement field ${k} is ${JSON.stringify(h[k])}, not a finite number`);
    return h[k] as number;
  };
  const numbers = (k: string): number[] | undefined => {
    const v = h[k];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'number')) throw new ProtocolError(`torch worker: measurement ${k} is not a list of numbers`);
    return v as number[];
  };
  const samples = h.samplesMs;
  if (!Array.isArray(samples) || samples.some((s) => typeof s !== 'number')) throw new ProtocolError('torch worker: measurement samplesMs is not a list of numbers');
  return {
    firstInferenceMs: num('firstInferenceMs'),
    warmupRuns: num('warmupRuns'),
    samplesMs: samples as number[],
    converged: h.converged === true,
    measuredS: num('measuredS'),
    timerOverheadMs: num('timerOverheadMs'),
    timerResolutionMs: num('timerResolutionMs'),
    ...(numbers('callStartMs') ? { callStartMs: numbers('callStartMs'), callEndMs: numbers('callEndMs') } : {}),
    ...(typeof h.windowStartEpochMs === 'number' ? { windowStartEpochMs: h.windowStartEpochMs } : {}),
  };
}
