/**
 * The Node end of one Python worker process: spawns it, sends one request
 * at a time, validates every frame it writes back, keeps the tail of its
 * stderr, and turns a crash, a hang past the call's timeout or garbage on
 * the pipe into an error that carries that tail. A worker that failed so is
 * killed and never used again.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { makeTempDir, removeTempDir } from '../../files/temp-dirs.js';
import { encodeFrame, FrameDecoder, ProtocolError, type Frame } from './framing.js';
import { pythonScript, SETUP_REMEDY } from './python-env.js';

/** python/runtime_worker.py at the package root: every Python runtime's worker. */
export function workerScriptPath(): string {
  return pythonScript('runtime_worker.py');
}

export const STDERR_TAIL_BYTES = 4096;

export interface WorkerOptions {
  python: string;
  /** The runtime the worker hosts (runtime_worker.py --runtime NAME); it names the worker in messages. */
  runtime: string;
  /** Time allowed for start-up before the worker is killed. */
  startTimeoutMs?: number;
  env?: Record<string, string>;
  /** Override the worker script and its arguments (tests use it to run a fake worker). */
  script?: string;
  args?: string[];
  /** Also hand each chunk of the worker's stderr here as it arrives (the tail is kept either way). */
  relayStderr?: (chunk: Buffer) => void;
}

/** The worker died, hung or broke the protocol; the message ends with its stderr tail. */
export class WorkerFailure extends Error {
  /** `missing`: python is not there at all (the runtime is unavailable), as opposed to a worker that started and broke. */
  constructor(message: string, readonly stderrTail: string, readonly missing = false) {
    super(stderrTail.trim() ? `${message}\n--- worker stderr (last ${STDERR_TAIL_BYTES} bytes) ---\n${stderrTail.trimEnd()}` : `${message} (the worker wrote nothing on stderr)`);
    this.name = 'WorkerFailure';
  }
}

/** The worker answered a request with an error; it is still alive and usable. */
export class WorkerCallError extends Error {
  constructor(message: string, readonly kind: string, readonly traceback: string) {
    super(message);
    this.name = 'WorkerCallError';
  }
}

interface Pending {
  type: string;
  id: number;
  resolve: (f: Frame) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

export class WorkerClient {
  readonly child: ChildProcessWithoutNullStreams;
  /** The worker's greeting: protocol version, runtime, python version, pid. */
  readonly ready: Promise<Frame>;
  private readonly decoder = new FrameDecoder();
  private stderr = Buffer.alloc(0);
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private inFlight = 0;
  private detachIdle = false;
  private failure: Error | undefined;
  private closing = false;
  /** Set when we killed the worker for a reason of ours; reported once its stderr is drained. */
  private killedBecause: string | undefined;
  private readonly exited: Promise<void>;

  /** "the torch worker": how messages name it. */
  readonly label: string;

  constructor(opts: WorkerOptions) {
    const script = opts.script ?? workerScriptPath();
    const args = opts.script ? (opts.args ?? []) : ['--runtime', opts.runtime];
    this.label = `the ${opts.runtime} worker`;
    // -B: never write __pycache__ next to the installed package; -u: unbuffered pipes.
    // Its own process group, so a kill takes whatever it started too (compile workers, a shell's
    // children) and nothing is left holding the pipes or lingering as a zombie.
    // A temp folder of its own, removed when it exits: frameworks write there (TensorFlow's autograph
    // sources, compile caches) and would otherwise leave files in the shared temp folder.
    const privateTmp = makeTempDir('infermark-worker-');
    this.child = spawn(opts.python, ['-B', '-u', script, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', TMPDIR: privateTmp, ...opts.env },
    });
    this.exited = new Promise((resolve) => this.child.once('close', () => {
      removeTempDir(privateTmp);
      resolve();
    }));
    this.child.stderr.on('data', (chunk: Buffer) => {
      const all = Buffer.concat([this.stderr, chunk]);
      this.stderr = all.subarray(Math.max(0, all.byteLength - STDERR_TAIL_BYTES));
      opts.relayStderr?.(chunk);
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stdin.on('error', () => { /* EPIPE: reported through 'exit' with the stderr tail */ });
    this.child.on('error', (err) => this.fail(`cannot start the worker with ${opts.python}: ${err.message}; ${SETUP_REMEDY}`, true));
    this.child.on('exit', (code, signal) => {
      const why = `${this.label} exited (${signal ? `signal ${signal}` : `code ${code}`})`;
      // stderr may still hold the last words; 'close' fires after the streams end.
      this.child.once('close', () => this.fail(this.killedBecause ?? why));
    });
    this.ready = this.expect('ready', opts.startTimeoutMs ?? 120_000);
    this.ready.catch(() => { /* observed by the first request */ });
  }

  get alive(): boolean {
    return !this.failure && this.child.exitCode === null && this.child.signalCode === null;
  }

  get stderrTail(): string {
    return this.stderr.toString('utf8');
  }

  /**
   * A worker shared by the sessions of a process must not keep that process alive between
   * calls: from now on it holds Node's event loop only while a request is in flight.
   */
  detachWhenIdle(): void {
    this.detachIdle = true;
    if (this.inFlight === 0) this.holdLoop(false);
  }

  private holdLoop(on: boolean): void {
    const handles = [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as unknown as { ref?(): void; unref?(): void }[];
    for (const h of handles) (on ? h.ref : h.unref)?.call(h);
  }

  /** Sends one request and resolves with its reply; calls run one after another. */
  request(header: Record<string, unknown> & { type: string }, buffers: Uint8Array[] = [], timeoutMs = 600_000): Promise<Frame> {
    this.inFlight++;
    if (this.detachIdle) this.holdLoop(true);
    const settled = (): void => {
      this.inFlight--;
      if (this.detachIdle && this.inFlight === 0) this.holdLoop(false);
    };
    const run = async (): Promise<Frame> => {
      await this.ready;
      if (this.failure) throw this.failure;
      const id = this.nextId++;
      const reply = this.expect(header.type, timeoutMs, id);
      for (const part of encodeFrame({ ...header, id }, buffers)) this.child.stdin.write(part);
      const frame = await reply;
      if (frame.header.type === 'error') {
        const h = frame.header as { message?: unknown; kind?: unknown; traceback?: unknown };
        throw new WorkerCallError(`${this.label.replace(/^the /, '')}: ${String(h.message ?? 'unknown error')}`, String(h.kind ?? 'Error'), String(h.traceback ?? ''));
      }
      return frame;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    p.then(settled, settled);
    return p;
  }

  /** Asks the worker to exit; kills it if it does not within `graceMs`. Never throws. */
  async close(graceMs = 3000): Promise<void> {
    this.closing = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      if (this.alive && !this.pending) {
        this.child.stdin.write(Buffer.concat(encodeFrame({ type: 'shutdown', id: 0 })));
      }
      this.child.stdin.end();
      const timer = setTimeout(() => this.kill(), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    this.failure ??= new Error(`${this.label} was shut down`);
  }

  /** Kills the worker at once. */
  kill(): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
      else this.child.kill('SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  private expect(type: string, timeoutMs: number, id = 0): Promise<Frame> {
    return new Promise<Frame>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const pending: Pending = { type, id, resolve, reject };
      pending.timer = setTimeout(() => {
        this.killFor(`${this.label} did not answer ${type === 'ready' ? 'at start-up' : `a ${type} request`} within ${(timeoutMs / 1000).toFixed(1)} s; it was killed`);
      }, timeoutMs);
      this.pending = pending;
    });
  }

  private onStdout(chunk: Buffer): void {
    if (this.closing || this.killedBecause) return; // only a shutdown acknowledgement or leftovers can come now
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.killFor((err as Error).message);
      return;
    }
    for (const frame of frames) {
      const p = this.pending;
      const replyId = (frame.header as { id?: unknown }).id;
      if (!p) {
        this.killFor(`${this.label} wrote a ${frame.header.type} frame when no request was waiting`);
        return;
      }
      const expected = p.type === 'ready' ? 'ready' : undefined;
      if ((expected && frame.header.type !== expected) || (!expected && replyId !== p.id)) {
        this.killFor(`${this.label} answered with a ${frame.header.type} frame (id ${String(replyId)}) where ${p.type === 'ready' ? 'its ready greeting' : `the reply to request ${p.id} (${p.type})`} was expected`);
        return;
      }
      clearTimeout(p.timer);
      this.pending = undefined;
      p.resolve(frame);
    }
  }

  /** Kill the worker and fail with `message` once its stderr is drained (so the tail holds its last words). */
  private killFor(message: string): void {
    if (this.killedBecause || this.failure) return;
    this.killedBecause = message;
    this.kill();
    // If the process is already gone, 'close' has fired or will not: fail now.
    if (this.child.exitCode !== null || this.child.signalCode !== null) void this.exited.then(() => this.fail(message));
  }

  private fail(message: string, missing = false): void {
    if (!this.failure) this.failure = new WorkerFailure(message, this.stderrTail, missing);
    const p = this.pending;
    this.pending = undefined;
    if (p) {
      clearTimeout(p.timer);
      p.reject(this.failure);
    }
  }
}
