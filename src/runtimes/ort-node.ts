/**
 * onnxruntime-node: the native ONNX Runtime in the Node process. Providers
 * cpu, and cuda, tensorrt and webgpu whenever their libraries load here.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ProviderAvailability, Runtime, SettingSpec } from './runtime.js';
import { explainCreateError, OrtSession, type OrtInferenceSessionLike, type OrtLike } from './ort-session.js';
import { packageRoot, packageVersion } from './package-version.js';
import { assertRegularFile } from '../files/safe-read.js';
import { makeTempDir, removeTempDir } from '../files/temp-dirs.js';

type Ort = typeof import('onnxruntime-node');

let ortPromise: Promise<Ort> | undefined;
function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node');
  return ortPromise;
}

/** Where the native binding and any provider libraries live. */
function bindingDir(): string | undefined {
  const root = packageRoot('onnxruntime-node');
  for (const napi of ['napi-v6', 'napi-v3']) {
    const dir = join(root, 'bin', napi, process.platform, process.arch);
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

export const ORT_NODE_SETTINGS: SettingSpec[] = [
  { name: 'intraOpNumThreads', type: 'int', min: 0, max: 1024, default: 0, description: 'threads inside one operator (0: onnxruntime decides)' },
  { name: 'interOpNumThreads', type: 'int', min: 0, max: 1024, default: 0, description: 'threads across operators, used in parallel execution mode (0: onnxruntime decides)' },
  { name: 'graphOptimizationLevel', type: 'enum', values: ['disabled', 'basic', 'extended', 'all'], default: 'all', description: 'graph optimisations applied at load' },
  { name: 'executionMode', type: 'enum', values: ['sequential', 'parallel'], default: 'sequential', description: 'run operators one after another or in parallel' },
  { name: 'enableCpuMemArena', type: 'bool', default: true, description: 'use the CPU memory arena allocator' },
  { name: 'optimizedModelCache', type: 'string', description: 'file for the optimised graph: written on the first (cold) load, loaded instead of the model on later (warm) loads' },
];

/** Provider probing runs in a child process: a failing provider prints native errors and may abort. */
const execFileAsync = promisify(execFile);
async function probeProviderInChild(provider: string): Promise<ProviderAvailability> {
  const script = `
    const ort = await import(${JSON.stringify(import.meta.resolve('onnxruntime-node'))});
    const { probeModelBytes } = await import(${JSON.stringify(new URL('./probe-model.js', import.meta.url).href)});
    try {
      await ort.InferenceSession.create(probeModelBytes(), { executionProviders: [${JSON.stringify(provider)}] });
      console.log(JSON.stringify({ ok: true }));
    } catch (e) { console.log(JSON.stringify({ ok: false, reason: String(e.message).split('\\n')[0] })); }`;
  // onnxruntime leaves a log file in the temp folder of every process that loads it: give the probe its own.
  const tmp = makeTempDir('infermark-probe-');
  try {
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000, env: { ...process.env, TMPDIR: tmp } });
    const last = stdout.trim().split('\n').pop() ?? '';
    const parsed = JSON.parse(last) as { ok: boolean; reason?: string };
    return { name: provider, available: parsed.ok, reason: parsed.ok ? undefined : shortenReason(parsed.reason ?? 'unknown') };
  } catch (err) {
    return { name: provider, available: false, reason: `probe process failed: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    removeTempDir(tmp);
  }
}

function shortenReason(reason: string): string {
  const m = /Failed to get a WebGPU adapter[^.]*/.exec(reason);
  if (m) return `${m[0]}: no GPU adapter usable by Dawn on this machine`;
  return reason.replace(/^\/onnxruntime_src\S*\s*/, '').slice(0, 300);
}

async function availability(): Promise<ProviderAvailability[]> {
  await loadOrt();
  const dir = bindingDir();
  const hasLib = (name: string) => (dir ? existsSync(join(dir, name)) : false);
  const missing = (name: string, lib: string): ProviderAvailability => ({
    name,
    available: false,
    reason: `provider libraries not installed (${lib} is absent: onnxruntime-node's CUDA download was skipped at install; install onnxruntime-node's CUDA binaries and CUDA/cuDNN${name === 'tensorrt' ? '/TensorRT' : ''} to use it)`,
  });
  const out: ProviderAvailability[] = [{ name: 'cpu', available: true }];
  out.push(hasLib('libonnxruntime_providers_cuda.so') ? await probeProviderInChild('cuda') : missing('cuda', 'libonnxruntime_providers_cuda.so'));
  out.push(hasLib('libonnxruntime_providers_tensorrt.so') ? await probeProviderInChild('tensorrt') : missing('tensorrt', 'libonnxruntime_providers_tensorrt.so'));
  out.push(await probeProviderInChild('webgpu'));
  return out;
}

function toOrtOptions(settings: Record<string, unknown>, provider: string): import('onnxruntime-node').InferenceSession.SessionOptions {
  const opts: import('onnxruntime-node').InferenceSession.SessionOptions = { executionProviders: [provider] };
  if (settings.intraOpNumThreads !== undefined) opts.intraOpNumThreads = Number(settings.intraOpNumThreads);
  if (settings.interOpNumThreads !== undefined) opts.interOpNumThreads = Number(settings.interOpNumThreads);
  if (settings.graphOptimizationLevel !== undefined) opts.graphOptimizationLevel = settings.graphOptimizationLevel as 'all';
  if (settings.executionMode !== undefined) opts.executionMode = settings.executionMode as 'sequential';
  if (settings.enableCpuMemArena !== undefined) opts.enableCpuMemArena = Boolean(settings.enableCpuMemArena);
  return opts;
}

const runtime: Runtime = {
  name: 'ort-node',
  description: 'onnxruntime-node (native, in the Node process)',
  host: 'node',
  providerNames: ['cpu', 'cuda', 'tensorrt', 'webgpu'],
  settings: ORT_NODE_SETTINGS,
  availability,
  async versions() {
    return { 'onnxruntime-node': packageVersion('onnxruntime-node') };
  },
  async createSession(model, { provider, settings }) {
    const ort = await loadOrt();
    const opts = toOrtOptions(settings, provider);
    const cachePath = settings.optimizedModelCache ? String(settings.optimizedModelCache) : undefined;
    // onnxruntime would read a device file or FIFO forever: refuse those before it opens the path.
    if (model.path) assertRegularFile(model.path, 'model');
    let source: string | Uint8Array = model.path ?? model.bytes!;
    let loadKind: 'cold' | 'warm' | undefined;
    if (cachePath && existsSync(cachePath)) {
      // The cached graph is already optimised; optimising again would only add load time.
      source = cachePath;
      opts.graphOptimizationLevel = 'disabled';
      loadKind = 'warm';
    } else if (cachePath) {
      opts.optimizedModelFilePath = cachePath;
      loadKind = 'cold';
    }
    let session;
    try {
      session = typeof source === 'string'
        ? await ort.InferenceSession.create(source, opts)
        : await ort.InferenceSession.create(source, opts);
    } catch (err) {
      throw explainCreateError(err, 'ort-node', model);
    }
    return new OrtSession(ort as unknown as OrtLike, session as unknown as OrtInferenceSessionLike, loadKind);
  },
};

export default runtime;
