/**
 * A runtime hosted by the Python runtime worker (python/runtime_worker.py,
 * package python/infermark_worker): one adapter file per runtime gives its
 * name, settings and description, and this builds the Runtime. The worker
 * speaks one protocol for every runtime (docs/worker-protocol.md);
 * the model travels as a file path, since each of these runtimes reads ONNX
 * itself. The sessions of one process share a worker per runtime (and per
 * setting the runtime fixes once per process), each model under its session
 * id, so Python and the runtime's package are imported once; a worker that
 * died is replaced by the next session's (python-worker/worker-pool.ts).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../errors/input-error.js';
import { defaultCacheRoot } from '../../core/cache-root.js';
import { decodeModel } from '../../onnx/read.js';
import { toGraphIR } from '../../onnx/ir.js';
import type { ModelSource, ProviderAvailability, Runtime, Session, SettingSpec, TensorInfo } from '../runtime.js';
import { WorkerSession } from './worker-session.js';
import type { LoadDetails } from '../../results/types.js';
import { loadDetailsOf } from './load-details.js';
import { WorkerCallError, WorkerClient } from './worker-client.js';
import { nextSessionId, sharedWorker } from './worker-pool.js';
import { pythonCandidates, pythonSource, SETUP_REMEDY } from './python-env.js';

export interface PythonRuntimeSpec {
  name: string;
  description: string;
  settings: SettingSpec[];
  /**
   * Settings the runtime can fix only once per process (TensorFlow's thread
   * pools): sessions that differ in one of them get different workers.
   */
  processSettings?: string[];
}

export interface WorkerInfo {
  python: string;
  available: boolean;
  reason?: string;
  versions: Record<string, string>;
  pythonVersion?: string;
}

/** A session that also reports how its load went: from a cold or a warm cache (converted or compiled model). */
export class PythonRuntimeSession extends WorkerSession {
  loadKind?: 'cold' | 'warm';
  loadDetails?: LoadDetails;

  constructor(private readonly client: WorkerClient, ...rest: Tail<ConstructorParameters<typeof WorkerSession>>) {
    super(client, ...rest);
  }

  /** The process id of the worker that holds this session's model (shared with the process's other sessions). */
  get workerPid(): number | undefined {
    return this.client.child.pid;
  }

  /** The worker-overhead benchmark's control: `runs` calls in a bare Python loop; total ms. */
  async bareLoop(prepared: unknown, runs: number): Promise<number> {
    const p = prepared as { inputs: Record<string, unknown>; buffers: Uint8Array[] };
    const { header } = await this.client.request({ type: 'bare', session: this.id, inputs: p.inputs, runs }, p.buffers);
    return Number((header as { totalMs?: number }).totalMs);
  }
}

type Tail<T extends unknown[]> = T extends [unknown, ...infer R] ? R : never;

const probes = new Map<string, Promise<WorkerInfo>>();

function startWorker(name: string, python: string): WorkerClient {
  return new WorkerClient({ python, runtime: name, startTimeoutMs: 60_000 });
}

/** Asks a fresh worker whether `name` can run with `python`; the worker is always shut down. */
async function probeOnce(name: string, python: string): Promise<WorkerInfo> {
  const worker = startWorker(name, python);
  try {
    const { header } = await worker.request({ type: 'info' }, [], 120_000);
    const h = header as { available?: boolean; reason?: string; versions?: Record<string, string>; python?: string };
    return {
      python, available: h.available === true, reason: h.reason, versions: { ...(h.versions ?? {}), ...(h.python ? { python: h.python } : {}) },
      pythonVersion: h.python,
    };
  } catch (err) {
    const first = (err as Error).message.split('\n')[0];
    return { python, available: false, reason: `${name}: the Python worker did not start with ${pythonSource()} (${first}); ${SETUP_REMEDY}`, versions: {} };
  } finally {
    await worker.close();
  }
}

/** The runtime's availability, probed once per process. */
export function probeRuntime(name: string): Promise<WorkerInfo> {
  let p = probes.get(name);
  if (!p) {
    p = (async () => {
      let last: WorkerInfo | undefined;
      for (const python of pythonCandidates()) {
        last = await probeOnce(name, python);
        if (last.available) return last;
      }
      return last!;
    })();
    probes.set(name, p);
  }
  return p;
}

interface ModelFile {
  path: string;
  /** Absent for a folder (a SavedModel). */
  bytes?: Uint8Array;
  sha256?: string;
  cleanup?: () => Promise<void>;
}

async function modelFile(model: ModelSource, name: string): Promise<ModelFile> {
  let bytes = model.bytes;
  if (!bytes) {
    if (!model.path) throw new InputError('model', 'model: neither a path nor bytes were given');
    // A SavedModel folder or a .keras file goes to the worker as a path; only ONNX is read here.
    if (model.path.endsWith('.keras') || (await stat(model.path).catch(() => undefined))?.isDirectory()) return { path: model.path };
    try {
      bytes = await readFile(model.path);
    } catch (err) {
      throw new InputError('model', `model: cannot read ${JSON.stringify(model.path)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (model.path) return { path: model.path, bytes, sha256 };
  // The runtimes read the model from a file; bytes given in memory go through a private temp dir.
  const dir = await mkdtemp(join(tmpdir(), `infermark-${name}-`));
  const path = join(dir, 'model.onnx');
  await writeFile(path, bytes);
  return { path, bytes, sha256, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Where converted and compiled models are kept: the cache root's python-runtimes folder. */
export function runtimeCacheDir(): string {
  return join(defaultCacheRoot(), 'python-runtimes');
}

export function pythonRuntime(spec: PythonRuntimeSpec): Runtime {
  const { name } = spec;
  const timeoutSpec: SettingSpec = { name: 'timeoutS', type: 'number', min: 1, default: 600, description: 'seconds one load or run may take before the worker is killed' };
  return {
    name,
    host: 'python',
    description: spec.description,
    providerNames: ['cpu'],
    settings: [...spec.settings, timeoutSpec],
    async availability(): Promise<ProviderAvailability[]> {
      const info = await probeRuntime(name);
      return [info.available ? { name: 'cpu', available: true } : { name: 'cpu', available: false, reason: info.reason }];
    },
    async versions() {
      return (await probeRuntime(name)).versions;
    },
    async createSession(model, { provider, settings, inputShapes }): Promise<Session> {
      if (provider !== 'cpu') throw new InputError('provider', `${name}: provider ${JSON.stringify(provider)} is not valid; allowed: cpu`);
      const info = await probeRuntime(name);
      if (!info.available) throw new Error(info.reason ?? `${name} is unavailable`);
      const timeoutMs = Number(settings.timeoutS ?? 600) * 1000;
      const file = await modelFile(model, name);
      const fixed = (spec.processSettings ?? []).map((k) => `${k}=${String(settings[k] ?? '')}`).join(' ');
      const worker = sharedWorker(`${name} ${info.python} ${fixed}`, { python: info.python, runtime: name, startTimeoutMs: 60_000 });
      const session = nextSessionId();
      try {
        const own = Object.fromEntries(Object.entries(settings).filter(([k]) => k !== 'timeoutS'));
        const { header } = await worker.request({
          type: 'load', session,
          // The trial's input shapes let a compiler specialise (TVM's tuning needs static shapes).
          model: { path: file.path, ...(file.sha256 ? { sha256: file.sha256 } : {}), ...(inputShapes ? { inputShapes } : {}) },
          settings: own, cacheDir: runtimeCacheDir(),
        }, [], timeoutMs);
        const h = header as { inputNames?: string[]; outputNames?: string[]; loadMs?: number; extra?: Record<string, unknown> };
        const io = file.bytes ? toGraphIR(decodeModel(file.bytes), file.path) : {
          // A SavedModel records names but not dtypes or shapes here: float32 of a shape the caller binds.
          inputs: (h.inputNames ?? []).map((n): TensorInfo => ({ name: n, dtype: 'float32', shape: [] })),
          outputs: (h.outputNames ?? []).map((n): TensorInfo => ({ name: n, dtype: 'float32', shape: [] })),
        };
        const made = new PythonRuntimeSession(worker, io.inputs, io.outputs, { runTimeoutMs: timeoutMs, session, shared: true }, Number(h.loadMs ?? 0));
        const kind = h.extra?.loadKind;
        if (kind === 'cold' || kind === 'warm') made.loadKind = kind;
        made.loadDetails = loadDetailsOf(h.extra ?? {});
        return made;
      } catch (err) {
        // A load error leaves the shared worker usable; a worker that died is replaced by the next session.
        if (err instanceof WorkerCallError) throw new Error(`${name}: loading ${model.path ?? 'the model'} failed: ${err.message.replace(new RegExp(`^${name} worker: `), '')}`);
        throw err;
      } finally {
        await file.cleanup?.();
      }
    },
  };
}
