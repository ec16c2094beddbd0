/**
 * A deterministic synthetic runtime: it takes a configured time, with seeded
 * jitter, and can crash or hang on demand. It reads only the model's declared
 * inputs and outputs, and answers the first output with 2 x the first input
 * (+ perturb), which is what the tests' Add model computes. It lets the
 * engine, the CLI, scenarios and reports be tested without any ML library.
 */
import type { HostTensor, Runtime, Session, SettingSpec, TensorInfo } from './runtime.js';
import { createPrng, type Prng } from '../random/prng.js';
import { decodeModel, modelIO } from '../onnx/read.js';
import { readRegularFile } from '../files/safe-read.js';

const SETTINGS: SettingSpec[] = [
  { name: 'latencyMs', type: 'number', min: 0, default: 1, description: 'fixed service time of one run' },
  { name: 'perItemMs', type: 'number', min: 0, default: 0, description: 'extra time per batch item, so larger batches take longer' },
  { name: 'jitterMs', type: 'number', min: 0, default: 0, description: 'uniform random extra time in [0, jitterMs), seeded' },
  { name: 'loadMs', type: 'number', min: 0, default: 0, description: 'time to create the session' },
  { name: 'wait', type: 'enum', values: ['spin', 'sleep'], default: 'spin', description: 'spin keeps a core busy for the time in CPU time, like real compute; sleep yields it' },
  { name: 'crash', type: 'enum', values: ['none', 'load-error', 'run-error', 'exit', 'signal'], default: 'none', description: 'fail on purpose: throw at load or run, exit(3), or be killed by SIGKILL (as an out-of-memory kill is)' },
  { name: 'crashAfter', type: 'int', min: 0, default: 0, description: 'successful runs before the crash' },
  { name: 'hang', type: 'enum', values: ['none', 'load', 'run'], default: 'none', description: 'never return from load or from a run' },
  { name: 'oomAboveBatch', type: 'int', min: 0, default: 0, description: 'a batch larger than this is killed by SIGKILL as the out-of-memory killer would (0: never)' },
  { name: 'memoryMB', type: 'int', min: 0, max: 65536, default: 0, description: 'memory to allocate and touch at load' },
  { name: 'perturb', type: 'number', default: 0, description: 'added to every output, to test output checks' },
  { name: 'seed', type: 'int', min: 0, default: 1, description: 'seed of the jitter' },
];

/** CPU time this process has used, ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Busy for `ms` of CPU time, not wall time: like real compute, it takes longer when it shares a core,
 * so three spinning runners on two cores complete at most two cores' worth of calls.
 */
function spinFor(ms: number): void {
  const end = cpuMs() + ms;
  const wallEnd = performance.now() + ms;
  while (cpuMs() < end || performance.now() < wallEnd) { /* busy on purpose: stands for compute */ }
}

function waitFor(ms: number, mode: string): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  if (mode === 'sleep') return new Promise((r) => setTimeout(r, ms));
  spinFor(ms);
  return Promise.resolve();
}

function hangForever(): Promise<never> {
  // A busy loop, not a pending promise: a hung native call does not yield either.
  for (;;) spinFor(1000);
}

type FakeOutputs = Record<string, HostTensor>;

class FakeSession implements Session<HostTensor, FakeOutputs> {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  private runs = 0;
  private readonly prng: Prng;
  private ballast?: Uint8Array;

  constructor(private readonly s: Record<string, number | string | boolean>, io: { inputs: TensorInfo[]; outputs: TensorInfo[] }) {
    this.inputs = io.inputs;
    this.outputs = io.outputs;
    this.prng = createPrng(Number(s.seed ?? 1));
    const mb = Number(s.memoryMB ?? 0);
    if (mb > 0) this.ballast = new Uint8Array(mb * 1024 * 1024).fill(1);
  }

  prepare(feeds: Record<string, HostTensor>): HostTensor {
    return feeds[this.inputs[0].name];
  }

  async run(x: HostTensor): Promise<FakeOutputs> {
    if (this.s.hang === 'run') await hangForever();
    if (this.runs >= Number(this.s.crashAfter ?? 0)) {
      switch (this.s.crash) {
        case 'run-error': throw new Error('fake runtime: run failed on purpose (crash=run-error)');
        case 'exit': process.stderr.write('fake runtime: exiting with code 3 on purpose (crash=exit)\n'); process.exit(3);
        // SIGKILL is what the kernel's out-of-memory killer sends.
        case 'signal': process.kill(process.pid, 'SIGKILL'); break;
        default: break;
      }
    }
    this.runs++;
    const batch = x.shape[0] ?? 1;
    const oomAbove = Number(this.s.oomAboveBatch ?? 0);
    if (oomAbove > 0 && batch > oomAbove) process.kill(process.pid, 'SIGKILL');
    const ms = Number(this.s.latencyMs ?? 1) + Number(this.s.perItemMs ?? 0) * batch + this.prng.next() * Number(this.s.jitterMs ?? 0);
    await waitFor(ms, String(this.s.wait ?? 'spin'));
    const data = new Float32Array(x.data.length);
    const perturb = Number(this.s.perturb ?? 0);
    const src = x.data;
    for (let i = 0; i < data.length; i++) data[i] = 2 * Number(src[i]) + perturb;
    return { [this.outputs[0]?.name ?? 'y']: { dtype: 'float32', shape: [...x.shape], data } satisfies HostTensor };
  }

  async readOutputs(raw: FakeOutputs): Promise<Record<string, HostTensor>> {
    return raw;
  }

  async dispose(): Promise<void> {
    this.ballast = undefined;
  }
}

const runtime: Runtime = {
  name: 'fake',
  description: 'deterministic synthetic runtime for tests (latency, jitter, crash, hang)',
  host: 'node',
  providerNames: ['cpu'],
  settings: SETTINGS,
  async availability() {
    return [{ name: 'cpu', available: true }];
  },
  async versions() {
    return { fake: '1' };
  },
  async createSession(model, { settings }) {
    const io = modelIO(decodeModel(model.bytes ?? readRegularFile(model.path!, 'model'), model.path ?? 'model'));
    if (settings.hang === 'load') await hangForever();
    if (settings.crash === 'load-error') throw new Error('fake runtime: load failed on purpose (crash=load-error)');
    await waitFor(Number(settings.loadMs ?? 0), String(settings.wait ?? 'spin'));
    return new FakeSession(settings, io);
  },
};

export default runtime;
