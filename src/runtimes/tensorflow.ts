/**
 * TensorFlow 2 (CPU) in the Python runtime worker
 * (python/infermark_worker/runtimes/tensorflow_rt.py). An ONNX model is
 * converted once by infermark's own ONNX -> TensorFlow mapping and cached as
 * a SavedModel by content hash; a SavedModel folder runs as is.
 */
import { pythonRuntime } from './python-worker/python-runtime.js';

export default pythonRuntime({
  name: 'tensorflow',
  description: "TensorFlow 2 in a Python worker (CPU); ONNX converted once by infermark's mapping and cached as a SavedModel; XLA on or off",
  settings: [
    { name: 'xla', type: 'enum', values: ['off', 'on'], default: 'off', description: 'compile the model function with XLA (tf.function jit_compile)' },
    { name: 'intraOpThreads', type: 'int', min: 0, max: 1024, default: 0, description: 'threads inside one operator (0: TensorFlow decides)' },
    { name: 'interOpThreads', type: 'int', min: 0, max: 1024, default: 0, description: 'threads across operators (0: TensorFlow decides)' },
  ],
});
