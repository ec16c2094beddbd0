/**
 * onnxruntime-web inside a Chromium page: its wasm, webgl and webgpu
 * providers, loaded from node_modules/onnxruntime-web/dist by the page.
 */
import { decodeModel, modelIO } from '../../onnx/read.js';
import { chromiumRuntime } from './chromium-runtime.js';
import type { SettingSpec } from '../../runtimes/runtime.js';

const SETTINGS: SettingSpec[] = [
  { name: 'numThreads', type: 'int', min: 0, max: 256, default: 0, description: 'wasm only: WebAssembly threads (0: onnxruntime-web decides; the page is crossOriginIsolated, so threads work)' },
  { name: 'graphOptimizationLevel', type: 'enum', values: ['disabled', 'basic', 'extended', 'all'], default: 'all', description: 'graph optimisations applied at load' },
];

export default chromiumRuntime({
  name: 'ort-web@chromium',
  description: 'onnxruntime-web in a Chromium page (wasm, webgl, webgpu)',
  engine: 'ort',
  providers: { wasm: 'wasm', webgl: 'webgl', webgpu: 'webgpu' },
  settings: SETTINGS,
  packages: ['onnxruntime-web'],
  async pageFiles(_path, bytes) {
    return { modelBytes: bytes };
  },
  modelIO: (bytes) => modelIO(decodeModel(bytes, 'model')),
});
