/**
 * TensorFlow.js as an infermark runtime: the ONNX graph is imported into
 * tfjs operations (src/runtimes/tfjs/), so tfjs runs exactly the same graph
 * and weights as every other runtime. Providers are tfjs backends.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decodeModel, readModelFile } from '../onnx/read.js';
import { toGraphIR } from '../onnx/ir.js';
import { faultError, isWasmFault, recoverBackend } from './tfjs/recover.js';
import type { Runtime, SettingSpec } from './runtime.js';
import { activateBackend, BACKEND_NAMES, backendAvailability, WASM_THREADS_IN_NODE } from './tfjs/backends.js';
import { ImportedGraph } from './tfjs/importer.js';
import { TfjsSession } from './tfjs/session.js';
import { isTfjsModelPath } from './tfjs/model-json.js';

const require = createRequire(import.meta.url);

const SETTINGS: SettingSpec[] = [
  {
    name: 'numThreads', type: 'int', min: 1, max: 256, default: 1,
    description: `wasm only: XNNPACK threads. Only 1 runs in Node: ${WASM_THREADS_IN_NODE}`,
  },
  { name: 'simd', type: 'bool', default: true, description: 'wasm only: load the SIMD build of the WebAssembly binary (false: the plain build)' },
  {
    name: 'layout', type: 'enum', values: ['nhwc', 'nchw'], default: 'nhwc',
    description: "4-D activations: 'nhwc' keeps them channels-last between ops (transposes only at the edges of the conv path); 'nchw' converts back to the ONNX layout after every conv/pool",
  },
  { name: 'fuse', type: 'bool', default: true, description: 'fold BatchNormalization into the preceding Conv and fuse a following Relu/Clip(0,6) into the conv kernel' },
];

function packageVersion(name: string): string {
  return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
}

const runtime: Runtime = {
  name: 'tfjs',
  description: 'TensorFlow.js (wasm, cpu backends; tensorflow with tfjs-node), ONNX graph imported into tfjs ops',
  host: 'node',
  providerNames: [...BACKEND_NAMES],
  settings: SETTINGS,
  availability: backendAvailability,
  async versions() {
    const out: Record<string, string> = {};
    for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node']) {
      try { out[name] = packageVersion(name); } catch { /* not installed: nothing to report */ }
    }
    return out;
  },
  async createSession(model, { provider, settings }) {
    await activateBackend(provider, { numThreads: Number(settings.numThreads ?? 1), simd: settings.simd !== false });
    // A kernel fault outside a session (or one the session could not see) must not fail this load.
    await recoverBackend();
    if (model.path && isTfjsModelPath(model.path)) {
      // TensorFlow.js's own format: run as tfjs loads it; the ONNX importer's settings (layout, fuse) do not apply.
      const native = await (await import('./tfjs/native-model.js')).loadNativeModel(model.path);
      return new TfjsSession(native.program, native.inputs, native.outputs);
    }
    const proto = model.bytes ? decodeModel(model.bytes) : await readModelFile(model.path!);
    const ir = toGraphIR(proto, model.path, { strings: true });
    const build = () => new TfjsSession(new ImportedGraph(ir, { layout: settings.layout === 'nchw' ? 'nchw' : 'nhwc', fuse: settings.fuse !== false }), ir.inputs, ir.outputs);
    try {
      return build();
    } catch (err) {
      const fault = isWasmFault(err);
      const rebuilt = await recoverBackend(fault);
      if (!fault) throw faultError(err, rebuilt);
      // A trap while uploading weights may be left over from an earlier fault: this model gets one try on the fresh backend.
      try {
        return build();
      } catch (again) {
        throw faultError(again, await recoverBackend(isWasmFault(again)));
      }
    }
  },
};

export default runtime;
