/**
 * TensorFlow.js backends as infermark providers. A tfjs backend is
 * process-global and the wasm module's build (SIMD or not) is chosen when it
 * first initialises; every trial runs in its own process, so choosing at
 * session creation is enough.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type { ProviderAvailability } from '../runtime.js';
import { withoutProcessHooks } from './process-hooks.js';

const require = createRequire(import.meta.url);

export const BACKEND_NAMES = ['wasm', 'cpu', 'tensorflow', 'webgl', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export const TFJS_NODE_MISSING = '@tensorflow/tfjs-node is not installed: its install downloads libtensorflow; install it where that download is possible';
const NEEDS_BROWSER = 'needs a browser (no WebGL/WebGPU in Node)';
/** Why numThreads > 1 cannot run here (tensorflow/tfjs#3830). */
export const WASM_THREADS_IN_NODE = 'tfjs-backend-wasm cannot start its multi-threaded build in Node: it starts its workers from a blob: URL, which Node\'s Worker rejects (tensorflow/tfjs#3830); use numThreads=1 here, or run in a browser';

export interface WasmOptions {
  numThreads: number;
  simd: boolean;
}

/** The directory holding the .wasm binaries, loaded from disk, never fetched. */
export function wasmDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

let wasmModule: Promise<typeof import('@tensorflow/tfjs-backend-wasm')> | undefined;
let wasmSimd: boolean | undefined;

async function activateWasm(options: WasmOptions): Promise<void> {
  if (options.numThreads > 1) throw new Error(`tfjs wasm: numThreads=${options.numThreads} is not possible: ${WASM_THREADS_IN_NODE}`);
  const first = !wasmModule;
  wasmModule ??= import('@tensorflow/tfjs-backend-wasm');
  const wasm = await wasmModule;
  if (first) wasm.setWasmPaths(wasmDir());
  if (wasmSimd !== undefined && wasmSimd !== options.simd) {
    // The build is fixed when the module initialises: register a fresh instance to switch.
    const factory = tf.findBackendFactory('wasm');
    tf.removeBackend('wasm');
    if (factory) tf.registerBackend('wasm', factory, 2);
  }
  tf.env().set('WASM_HAS_SIMD_SUPPORT', options.simd);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasm.setThreadsCount(1);
  if (!(await withoutProcessHooks(() => tf.setBackend('wasm')))) throw new Error(`tfjs wasm: the WebAssembly backend failed to initialise (binaries looked up in ${wasmDir()})`);
  wasmSimd = options.simd;
}

async function importTfjsNode(): Promise<unknown> {
  const name = '@tensorflow/tfjs-node';
  try {
    return await import(name);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ERR_MODULE_NOT_FOUND' ? TFJS_NODE_MISSING : `@tensorflow/tfjs-node failed to load: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Make `name` the active backend; throws with the reason and the remedy when it cannot run here. */
export async function activateBackend(name: string, wasm: WasmOptions): Promise<void> {
  tf.env().set('PROD', true);
  switch (name) {
    case 'wasm': return activateWasm(wasm);
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      if (!(await tf.setBackend('cpu'))) throw new Error('tfjs cpu: the backend failed to initialise');
      return;
    case 'tensorflow':
      await importTfjsNode();
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs tensorflow: @tensorflow/tfjs-node loaded but its backend failed to initialise');
      return;
    case 'webgl':
    case 'webgpu':
      throw new Error(`tfjs ${name}: ${NEEDS_BROWSER}`);
    default:
      throw new Error(`tfjs: unknown backend ${JSON.stringify(name)}; backends: ${BACKEND_NAMES.join(', ')}`);
  }
}

const execFileAsync = promisify(execFile);

/**
 * wasm and cpu are probed in a child process: initialising wasm here would fix
 * its build (SIMD or not) before a session could choose it.
 */
async function probeInChild(names: BackendName[]): Promise<ProviderAvailability[]> {
  const script = `
    const { activateBackend } = await import(${JSON.stringify(new URL('./backends.js', import.meta.url).href)});
    const tf = await import(${JSON.stringify(import.meta.resolve('@tensorflow/tfjs-core'))});
    const out = [];
    for (const name of ${JSON.stringify(names)}) {
      try {
        await activateBackend(name, { numThreads: 1, simd: true });
        tf.tidy(() => tf.add(tf.ones([2]), tf.ones([2])).dataSync());
        out.push({ name, available: true });
      } catch (e) { out.push({ name, available: false, reason: String(e.message).split('\\n')[0] }); }
    }
    console.log(JSON.stringify(out));`;
  try {
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as ProviderAvailability[];
  } catch (err) {
    return names.map((name) => ({ name, available: false, reason: `probe process failed: ${(err as Error).message.split('\n')[0]}` }));
  }
}

export async function backendAvailability(): Promise<ProviderAvailability[]> {
  const inChild = await probeInChild(['wasm', 'cpu']);
  let tensorflow: ProviderAvailability = { name: 'tensorflow', available: true };
  try {
    await importTfjsNode();
  } catch (err) {
    tensorflow = { name: 'tensorflow', available: false, reason: (err as Error).message };
  }
  return [
    ...inChild,
    tensorflow,
    { name: 'webgl', available: false, reason: NEEDS_BROWSER },
    { name: 'webgpu', available: false, reason: NEEDS_BROWSER },
  ];
}
