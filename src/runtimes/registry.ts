/**
 * The typed table of runtimes. Each entry is a lazy factory, so listing
 * runtimes or printing help never loads an ML library. Availability is data:
 * probed once per process and cached, with a reason when unavailable.
 */
import type { ProviderAvailability, Runtime } from './runtime.js';
import { invalidValue } from '../errors/input-error.js';

export interface RuntimeEntry {
  description: string;
  load: () => Promise<Runtime>;
}

export const RUNTIMES: Record<string, RuntimeEntry> = {
  'ort-node': { description: 'onnxruntime-node (native, in the Node process)', load: async () => (await import('./ort-node.js')).default },
  'ort-web': { description: "onnxruntime-web's WebAssembly build, run in Node", load: async () => (await import('./ort-web.js')).default },
  tfjs: { description: 'TensorFlow.js (wasm and cpu backends; tensorflow with tfjs-node), the ONNX graph imported into tfjs ops', load: async () => (await import('./tfjs.js')).default },
  torch: { description: 'PyTorch in a Python worker (eager, torchscript, compile), the ONNX graph imported into torch ops', load: async () => (await import('./torch.js')).default },
  'ort-web@chromium': { description: 'onnxruntime-web in a Chromium page (wasm, webgl, webgpu)', load: async () => (await import('../hosts/chromium/ort-web-chromium.js')).default },
  'tfjs@chromium': { description: 'TensorFlow.js in a Chromium page (wasm, cpu, webgl, webgpu), the ONNX graph imported into tfjs ops', load: async () => (await import('../hosts/chromium/tfjs-chromium.js')).default },
  tensorflow: { description: "TensorFlow 2 in a Python worker (XLA on or off), ONNX converted by infermark's mapping", load: async () => (await import('./tensorflow.js')).default },
  openvino: { description: 'OpenVINO in a Python worker (CPU; latency and throughput hints)', load: async () => (await import('./openvino.js')).default },
  tvm: { description: 'Apache TVM (Relax, llvm) in a Python worker; compiled library cached', load: async () => (await import('./tvm.js')).default },
  'ort-python': { description: "onnxruntime's Python build in a Python worker, ort-node's settings", load: async () => (await import('./ort-python.js')).default },
  fake: { description: 'deterministic synthetic runtime for tests (latency, jitter, crash, hang)', load: async () => (await import('./fake.js')).default },
};

export function runtimeNames(): string[] {
  return Object.keys(RUNTIMES);
}

const loaded = new Map<string, Promise<Runtime>>();
const availability = new Map<string, Promise<RuntimeStatus>>();

export interface RuntimeStatus {
  name: string;
  description: string;
  /** Set when the runtime's package itself cannot be loaded. */
  loadError?: string;
  providers: ProviderAvailability[];
  versions: Record<string, string>;
  settings: Runtime['settings'];
}

export function getRuntime(name: string): Promise<Runtime> {
  const entry = RUNTIMES[name];
  if (!entry) throw invalidValue('runtime', name, runtimeNames().join(', '));
  let p = loaded.get(name);
  if (!p) {
    p = entry.load();
    loaded.set(name, p);
  }
  return p;
}

/** Probe one runtime once per process; never throws. */
export function runtimeStatus(name: string): Promise<RuntimeStatus> {
  let p = availability.get(name);
  if (!p) {
    p = (async (): Promise<RuntimeStatus> => {
      const description = RUNTIMES[name]?.description ?? '';
      try {
        const rt = await getRuntime(name);
        const [providers, versions] = await Promise.all([rt.availability(), rt.versions()]);
        return { name, description, providers, versions, settings: rt.settings };
      } catch (err) {
        return { name, description, loadError: (err as Error).message, providers: [], versions: {}, settings: [] };
      }
    })();
    availability.set(name, p);
  }
  return p;
}
