/**
 * OpenVINO (CPU) in the Python runtime worker, reading ONNX directly
 * (python/infermark_worker/runtimes/openvino_rt.py). Throughput hints drive
 * OpenVINO's async infer requests and count completed items over wall time.
 */
import { pythonRuntime } from './python-worker/python-runtime.js';

export default pythonRuntime({
  name: 'openvino',
  description: 'OpenVINO in a Python worker (CPU plugin), ONNX read directly; latency or throughput hints with async infer requests',
  settings: [
    { name: 'hint', type: 'enum', values: ['latency', 'throughput', 'cumulative_throughput'], default: 'latency', description: 'PERFORMANCE_HINT; throughput modes keep several async infer requests busy and count completed items over the window' },
    { name: 'streams', type: 'int', min: 0, max: 1024, default: 0, description: 'NUM_STREAMS (0: the hint decides)' },
    { name: 'requests', type: 'int', min: 0, max: 1024, default: 0, description: 'infer requests kept in flight in throughput modes (0: OPTIMAL_NUMBER_OF_INFER_REQUESTS)' },
    { name: 'precision', type: 'enum', values: ['f32', 'bf16', 'f16'], default: 'f32', description: 'INFERENCE_PRECISION_HINT (bf16 where the CPU has it; the precision used is reported)' },
    { name: 'threads', type: 'int', min: 0, max: 1024, default: 0, description: 'INFERENCE_NUM_THREADS (0: OpenVINO decides)' },
    { name: 'cache', type: 'enum', values: ['on', 'off'], default: 'on', description: "model cache (CACHE_DIR under infermark's cache folder): the first load compiles (cold), later loads read the blob (warm)" },
  ],
});
