/**
 * TensorFlow.js inside a Chromium page: cpu, wasm, webgl and webgpu
 * backends. The ONNX graph is decoded here in Node and sent to the page,
 * where infermark's own importer (src/runtimes/tfjs/importer.ts, loaded as
 * an ES module) builds the same tfjs program as the Node runtime does.
 */
import { decodeModel } from '../../onnx/read.js';
import { toGraphIR } from '../../onnx/ir.js';
import { chromiumRuntime } from './chromium-runtime.js';
import { encodeGraph } from './graph-wire.js';
import type { SettingSpec } from '../../runtimes/runtime.js';

const SETTINGS: SettingSpec[] = [
  {
    name: 'numThreads', type: 'int', min: 1, max: 256, default: 1,
    description: 'wasm only: XNNPACK threads asked of setThreadsCount; unverified: tfjs 4.22 reports 1 whatever is asked (an open upstream report), and results record what it reports',
  },
  {
    name: 'layout', type: 'enum', values: ['nhwc', 'nchw'], default: 'nhwc',
    description: "4-D activations: 'nhwc' keeps them channels-last between ops; 'nchw' converts back to the ONNX layout after every conv/pool",
  },
  { name: 'fuse', type: 'bool', default: true, description: 'fold BatchNormalization into the preceding Conv and fuse a following Relu/Clip(0,6) into the conv kernel' },
];

export default chromiumRuntime({
  name: 'tfjs@chromium',
  description: 'TensorFlow.js in a Chromium page (wasm, cpu, webgl, webgpu), the ONNX graph imported into tfjs ops',
  engine: 'tfjs',
  // wasm first: the default provider, as for tfjs in Node; the pure-JS cpu backend is the slowest.
  providers: { wasm: 'wasm', cpu: 'none', webgl: 'webgl', webgpu: 'webgpu' },
  settings: SETTINGS,
  packages: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-webgpu'],
  async pageFiles(path, bytes) {
    return { graph: encodeGraph(toGraphIR(decodeModel(bytes, 'model'), path)) };
  },
});
