/**
 * onnxruntime-web's WebAssembly build, run in Node. Its environment
 * (threads, SIMD) is process-global, which is fine: every trial has its own
 * runner process.
 */
import { readFileSync } from 'node:fs';
import { readRegularFile } from '../files/safe-read.js';
import type { Runtime, SettingSpec } from './runtime.js';
import { explainCreateError, OrtSession, type OrtInferenceSessionLike, type OrtLike } from './ort-session.js';
import { probeModelBytes } from './probe-model.js';
import { packageVersion } from './package-version.js';

type OrtWeb = typeof import('onnxruntime-web');

let ortPromise: Promise<OrtWeb> | undefined;
function loadOrt(): Promise<OrtWeb> {
  ortPromise ??= import('onnxruntime-web');
  return ortPromise;
}

const SETTINGS: SettingSpec[] = [
  { name: 'numThreads', type: 'int', min: 0, max: 256, default: 0, description: 'WebAssembly threads (0: onnxruntime-web decides; 1: no worker threads)' },
  {
    name: 'simd', type: 'enum', values: ['on', 'relaxed'], default: 'on',
    description: "WebAssembly SIMD: fixed-width ('on') or relaxed; onnxruntime-web 1.19+ ships only SIMD builds, so 'off' cannot be run",
  },
  { name: 'graphOptimizationLevel', type: 'enum', values: ['disabled', 'basic', 'extended', 'all'], default: 'all', description: 'graph optimisations applied at load' },
];

const runtime: Runtime = {
  name: 'ort-web',
  description: "onnxruntime-web's WebAssembly build, run in Node",
  host: 'node',
  providerNames: ['wasm'],
  settings: SETTINGS,
  async availability() {
    try {
      const ort = await loadOrt();
      ort.env.wasm.numThreads = 1;
      const s = await ort.InferenceSession.create(probeModelBytes(), { executionProviders: ['wasm'] });
      await s.release();
      return [{ name: 'wasm', available: true }];
    } catch (err) {
      return [{ name: 'wasm', available: false, reason: `WebAssembly backend failed to start: ${(err as Error).message.split('\n')[0]}` }];
    }
  },
  async versions() {
    return { 'onnxruntime-web': packageVersion('onnxruntime-web') };
  },
  async createSession(model, { settings }) {
    const ort = await loadOrt();
    ort.env.wasm.numThreads = Number(settings.numThreads ?? 0);
    ort.env.wasm.simd = settings.simd === 'relaxed' ? 'relaxed' : 'fixed';
    const bytes = model.bytes ?? readRegularFile(model.path!, 'model');
    let session;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: (settings.graphOptimizationLevel as 'all' | undefined) ?? 'all',
      });
    } catch (err) {
      throw explainCreateError(err, 'ort-web', { bytes });
    }
    return new OrtSession(ort as unknown as OrtLike, session as unknown as OrtInferenceSessionLike);
  },
};

export default runtime;
