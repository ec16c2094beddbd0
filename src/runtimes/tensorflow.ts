/**
 * TensorFlow 2 (CPU) in the Python worker
 * (python/infermark_worker/runtimes/tensorflow_rt.py). An ONNX model is
 * converted once by infermark's own ONNX -> TensorFlow mapping and cached as
 * a SavedModel by content hash; format native builds a zoo network as its
 * keras.applications model with the same weights; a SavedModel folder or a
 * .keras file runs as is.
 */
import { pythonRuntime } from './python-worker/python-runtime.js';

export default pythonRuntime({
  name: 'tensorflow',
  // tf.config.threading takes effect only before TensorFlow's first operation in a process.
  processSettings: ['intraOpThreads', 'interOpThreads'],
  description: "TensorFlow 2 in a Python worker (CPU); ONNX converted once by infermark's mapping and cached as a SavedModel, zoo networks as keras.applications models (format native), SavedModel folders and .keras files; XLA on or off; mixed precision",
  settings: [
    { name: 'xla', type: 'enum', values: ['off', 'on'], default: 'off', description: 'compile the model function with XLA (tf.function jit_compile)' },
    { name: 'intraOpThreads', type: 'int', min: 0, max: 1024, default: 0, description: 'threads inside one operator (0: TensorFlow decides)' },
    { name: 'interOpThreads', type: 'int', min: 0, max: 1024, default: 0, description: 'threads across operators (0: TensorFlow decides)' },
    {
      name: 'format', type: 'enum', values: ['auto', 'onnx', 'native'], default: 'auto',
      description: "auto: a SavedModel folder or .keras file as is, ONNX converted by infermark's mapping; native: a zoo network as its keras.applications model with the ONNX file's weights",
    },
    {
      name: 'precision', type: 'enum', values: ['fp32', 'mixed_float16', 'mixed_bfloat16'], default: 'fp32',
      description: 'Keras mixed-precision policy (format native or a .keras file): float16 or bfloat16 compute with float32 weights; outputs agree within a wider tolerance',
    },
  ],
});
