/**
 * A session of a runtime hosted by the Python worker: its model lives in a
 * worker (its own, or one the process shares between sessions, each model
 * under its session id). run() and measureLoop() are requests to that worker;
 * the loop and its clock run inside it, so pipe transfers never enter a
 * latency. A worker that failed is never reused: every later call rejects
 * with the original failure.
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

export interface WorkerSessionOptions {
  /** Per-request limit for run; the worker is killed past it. */
  runTimeoutMs: number;
  /** The model's id in the worker (0 when the worker holds one session's model). */
  session?: number;
  /** The worker serves other sessions too: dispose releases the model and leaves the worker running. */
  shared?: boolean;
}

/** torch.compile's first call, cold (fresh caches) and warm (compiled again with the caches the cold one filled), ms. */
export interface CompileTimes {
  coldMs: number;
  warmMs?: number;
}

export class WorkerSession implements Session<PreparedFeeds, Frame> {
  /** Set in mode compile once the first call compiled (cold) and, at dispose, the warm compile. */
  compile?: CompileTimes;
  constructor(
    private readonly worker: WorkerClient,
    readonly inputs: TensorInfo[],
    readonly outputs: TensorInfo[],
    private readonly opts: WorkerSessionOptions,
    /** Time the worker spent building the model (import, mode set-up), ms. */
    readonly workerLoadMs: number,
  ) {}

  prepare(feeds: Record<string, HostTensor>): PreparedFeeds {
    const buffers: Uint8Array[] = [];
    return { inputs: encodeTensors(feeds, buffers), buffers } satisfies PreparedFeeds;
  }

  async run(prepared: PreparedFeeds): Promise<Frame> {
    const p = prepared as PreparedFeeds;
    const reply = await this.worker.request({ type: 'run', session: this.id, inputs: p.inputs }, p.buffers, this.opts.runTimeoutMs);
    this.noteFacts(reply.header);
    return reply;
  }

  /** The model's id in its worker. */
  protected get id(): number {
    return this.opts.session ?? 0;
  }

  private noteFacts(h: Record<string, unknown>): void {
    const cold = (h.extra as { compileColdMs?: unknown } | undefined)?.compileColdMs;
    if (typeof cold === 'number' && !this.compile) this.compile = { coldMs: cold };
  }

  async readOutputs(raw: Frame): Promise<Record<string, HostTensor>> {
    const { header, buffers } = raw as { header: { outputs?: unknown }; buffers: Uint8Array[] };
    const outputs = header.outputs;
    if (!outputs || typeof outputs !== 'object') throw new ProtocolError('python worker: a run reply without outputs');
    return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, decodeTensor(t, buffers, `output ${name}`)]));
  }

  async measureLoop(prepared: PreparedFeeds, rule: StoppingRule): Promise<LoopMeasurement> {
    const p = prepared as PreparedFeeds;
    // The loop may run up to maxTimeMs after a first inference and warm-up; allow for slow ones, then kill.
    const timeoutMs = rule.maxTimeMs + (rule.warmupMaxMs ?? rule.maxTimeMs) + 2 * this.opts.runTimeoutMs;
    const { header } = await this.worker.request({ type: 'measure', session: this.id, inputs: p.inputs, rule }, p.buffers, timeoutMs);
    this.noteFacts(header);
    return checkMeasurement(header);
  }

  async dispose(): Promise<void> {
    if (!this.opts.shared) {
      await this.worker.close();
      return;
    }
    if (!this.worker.alive) return;
    let header: Record<string, unknown>;
    try {
      ({ header } = await this.worker.request({ type: 'release', session: this.id }, [], this.opts.runTimeoutMs));
    } catch {
      // The session's work is done and measured; a worker that fails now is replaced by the next session.
      return;
    }
    const warm = (header.extra as { compileWarmMs?: unknown } | undefined)?.compileWarmMs;
    if (typeof warm === 'number' && this.compile) this.compile = { ...this.compile, warmMs: warm };
  }
}

function checkMeasurement(h: Record<string, unknown>): LoopMeasurement {
  const num = (k: string): number => {
    if (typeof h[k] !== 'number' || !Number.isFinite(h[k])) throw new ProtocolError(`python worker: measurement field ${k} is ${JSON.stringify(h[k])}, not a finite number`);
    return h[k] as number;
  };
  const numbers = (k: string): number[] | undefined => {
    const v = h[k];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'number')) throw new ProtocolError(`python worker: measurement ${k} is not a list of numbers`);
    return v as number[];
  };
  const samples = h.samplesMs;
  if (!Array.isArray(samples) || samples.some((s) => typeof s !== 'number')) throw new ProtocolError('python worker: measurement samplesMs is not a list of numbers');
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
