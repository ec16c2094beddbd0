/**
 * PyTorch as an infermark runtime, hosted by the Python worker
 * (python/runtime_worker.py --runtime torch, with the importer in
 * python/infermark_torch; docs/worker-protocol.md). The ONNX graph is
 * imported into torch (torch.fx), so torch runs exactly the same graph and
 * weights as every other runtime; TorchScript files, torch.export programs
 * (.pt2) and Python factory files run directly. One worker serves every
 * session of a process (python-worker/worker-pool.ts), replaced after a crash.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel } from '../onnx/read.js';
import { toGraphIR } from '../onnx/ir.js';
import { InputError } from '../errors/input-error.js';
import { readRegularFile } from '../files/safe-read.js';
import type { ModelSource, ProviderAvailability, Runtime, SettingSpec, TensorInfo } from './runtime.js';
import { findTorch, torchWorker } from './torch/python.js';
import { WorkerSession } from './python-worker/worker-session.js';
import { encodeGraph } from './python-worker/wire.js';
import { WorkerCallError } from './python-worker/worker-client.js';
import { nextSessionId } from './python-worker/worker-pool.js';

const SETTINGS: SettingSpec[] = [
  {
    name: 'mode', type: 'enum', values: ['eager', 'torchscript', 'compile'], default: 'eager',
    description: 'eager: the imported torch.fx module as is; torchscript: traced and frozen for the input shapes; compile: torch.compile (torch >= 2.0)',
  },
  { name: 'threads', type: 'int', min: 0, max: 1024, default: 0, description: 'torch.set_num_threads (0: torch decides)' },
  { name: 'interopThreads', type: 'int', min: 0, max: 1024, default: 0, description: 'torch.set_num_interop_threads (0: torch decides)' },
  {
    name: 'format', type: 'enum', values: ['auto', 'onnx', 'torchscript', 'exported', 'factory', 'native'], default: 'auto',
    description: "model file format; auto: factory for a .py file, exported for a .pt2 file or a torch.export archive, TorchScript for another zip archive (what torch.jit.save writes), ONNX otherwise; exported: a torch.export program (torch.export.save); factory: a Python file defining build() -> nn.Module and INPUTS; native: a zoo network as torchvision's own module with the ONNX file's weights",
  },
  {
    name: 'tf32', type: 'bool', default: false,
    description: 'cuda only: let matrix products and convolutions use TensorFloat-32 (faster on Ampere and later GPUs, about 3 significant digits; the outputs then differ from FP32 and are flagged)',
  },
  { name: 'timeoutS', type: 'number', min: 1, default: 600, description: 'seconds one load or run may take before the worker is killed' },
];

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

async function modelBytes(model: ModelSource): Promise<Uint8Array> {
  if (model.bytes) return model.bytes;
  if (!model.path) throw new InputError('model', 'model: neither a path nor bytes were given');
  return readRegularFile(model.path, 'model');
}

interface LoadPlan {
  request: Record<string, unknown>;
  buffers: Uint8Array[];
  inputs?: TensorInfo[];
  outputs?: TensorInfo[];
  cleanup?: () => Promise<void>;
}

async function planLoad(model: ModelSource, format: string): Promise<LoadPlan> {
  const isPython = model.path?.endsWith('.py') ?? false;
  if (format === 'factory' || (format === 'auto' && isPython)) {
    // A factory file runs as Python code: only ever a file the user named, read by the worker from that path.
    if (!model.path || !isPython) throw new InputError('format', `torch: format factory needs the path of a .py file; ${model.path ?? 'the model was given as bytes'}`);
    await readRegularFile(model.path, 'model');
    return { request: { source: 'factory', path: model.path }, buffers: [] };
  }
  const bytes = await modelBytes(model);
  const asFile = format === 'torchscript' || format === 'exported' || (format === 'auto' && isZip(bytes));
  if (asFile) {
    if (!isZip(bytes)) {
      const what = format === 'exported' ? 'a torch.export program (.pt2 files are zip archives written by torch.export.save)' : 'a TorchScript file (TorchScript files are zip archives written by torch.jit.save)';
      throw new InputError('model', `torch: ${model.path ?? 'the model'} is not ${what}; give such a file, or an .onnx model with format auto or onnx`);
    }
    // auto: the worker tells a torch.export archive from a TorchScript one by its contents.
    const source = format === 'exported' || (format === 'auto' && model.path?.endsWith('.pt2')) ? 'exported' : 'torchscript';
    if (model.path) return { request: { source, path: model.path }, buffers: [] };
    // The worker reads TorchScript from a file; bytes given in memory go through a private temp dir.
    const dir = await mkdtemp(join(tmpdir(), 'infermark-torch-'));
    const path = join(dir, 'model.pt');
    await writeFile(path, bytes);
    return { request: { source, path }, buffers: [], cleanup: () => rm(dir, { recursive: true, force: true }) };
  }
  const proto = decodeModel(bytes);
  const ir = toGraphIR(proto, model.path);
  const buffers: Uint8Array[] = [];
  const graph = encodeGraph(ir, buffers);
  if (format === 'native') {
    // The zoo stamps its files with producerVersion zoo-NAME-archN; the worker builds NAME's own module.
    const zoo = /^zoo-(.+)-arch\d+$/.exec(String(proto.producerVersion ?? ''))?.[1];
    if (!zoo) throw new InputError('format', `torch: format native applies to zoo models (zoo:NAME); ${model.path ?? 'the model'} was not built by infermark's zoo`);
    return { request: { source: 'native', zoo, graph }, buffers, inputs: ir.inputs, outputs: ir.outputs };
  }
  return { request: { source: 'onnx', graph }, buffers, inputs: ir.inputs, outputs: ir.outputs };
}

async function availability(): Promise<ProviderAvailability[]> {
  const found = await findTorch();
  // A broken worker is not an absent runtime: cpu trials run and fail with the worker's own words.
  if (!found.ok && found.broken) return [{ name: 'cpu', available: true, reason: found.reason }, { name: 'cuda', available: false, reason: found.reason }];
  if (!found.ok) return [{ name: 'cpu', available: false, reason: found.reason }, { name: 'cuda', available: false, reason: found.reason }];
  const { probe } = found;
  return [
    { name: 'cpu', available: true },
    probe.cuda ? { name: 'cuda', available: true } : { name: 'cuda', available: false, reason: probe.cudaReason ?? 'torch sees no CUDA device' },
  ];
}

const runtime: Runtime = {
  name: 'torch',
  description: 'PyTorch in a Python worker (eager torch.fx import, torchscript, compile), ONNX graph imported into torch ops; TorchScript files too',
  host: 'python',
  providerNames: ['cpu', 'cuda'],
  settings: SETTINGS,
  availability,
  async versions(): Promise<Record<string, string>> {
    const found = await findTorch();
    return found.ok ? { torch: found.probe.torchVersion, python: found.probe.pythonVersion } : {};
  },
  async createSession(model, { provider, settings }) {
    const found = await findTorch();
    if (!found.ok) throw new Error(found.reason);
    const { probe } = found;
    if (provider !== 'cpu' && provider !== 'cuda') throw new InputError('provider', `torch: provider ${JSON.stringify(provider)} is not valid; allowed: cpu, cuda`);
    if (provider === 'cuda' && !probe.cuda) throw new Error(`torch: provider cuda is unavailable: ${probe.cudaReason ?? 'no CUDA device'}`);
    const mode = String(settings.mode ?? 'eager');
    if (mode === 'compile' && !probe.compile) throw new Error(`torch: mode compile is unavailable: ${probe.compileReason ?? 'no torch.compile'}`);
    const timeoutMs = Number(settings.timeoutS ?? 600) * 1000;

    const plan = await planLoad(model, String(settings.format ?? 'auto'));
    const interopThreads = Number(settings.interopThreads ?? 0);
    const worker = torchWorker(probe.python, interopThreads);
    const session = nextSessionId();
    try {
      const { header } = await worker.request({
        type: 'load', session, model: plan.request,
        settings: { mode, device: provider, threads: Number(settings.threads ?? 0), interopThreads, tf32: Boolean(settings.tf32) },
      }, plan.buffers, timeoutMs);
      const h = header as { inputNames?: string[]; outputNames?: string[]; loadMs?: number; inputs?: TensorInfo[] };
      // A TorchScript file records input names but not dtypes or shapes: float32 of a shape the caller binds.
      // A .pt2 program and a factory file declare theirs, and the worker sends them.
      const inputs = plan.inputs ?? h.inputs ?? (h.inputNames ?? []).map((name): TensorInfo => ({ name, dtype: 'float32', shape: [] }));
      const outputs = plan.outputs ?? (h.outputNames ?? []).map((name): TensorInfo => ({ name, dtype: 'float32', shape: [] }));
      return new WorkerSession(worker, inputs, outputs, { runTimeoutMs: timeoutMs, session, shared: true }, Number(h.loadMs ?? 0));
    } catch (err) {
      // A load error leaves the shared worker usable; a worker that died is replaced by the next session.
      if (err instanceof WorkerCallError) throw new Error(`torch: loading ${model.path ?? 'the model'} failed: ${err.message.replace(/^torch worker: /, '')}`);
      throw err;
    } finally {
      await plan.cleanup?.();
    }
  },
};

export default runtime;
