/**
 * onnxruntime's Python build in the Python runtime worker, with ort-node's
 * settings: a control that shows what the language and the worker protocol
 * add on the same model (python/infermark_worker/runtimes/ort_python.py).
 */
import { pythonRuntime } from './python-worker/python-runtime.js';

export default pythonRuntime({
  name: 'ort-python',
  description: "onnxruntime's Python build in a Python worker (CPU), same settings as ort-node",
  settings: [
    { name: 'intraOpNumThreads', type: 'int', min: 0, max: 1024, default: 0, description: 'threads inside one operator (0: onnxruntime decides)' },
    { name: 'interOpNumThreads', type: 'int', min: 0, max: 1024, default: 0, description: 'threads across operators, used in parallel execution mode (0: onnxruntime decides)' },
    { name: 'graphOptimizationLevel', type: 'enum', values: ['disabled', 'basic', 'extended', 'all'], default: 'all', description: 'graph optimisations applied at load' },
    { name: 'executionMode', type: 'enum', values: ['sequential', 'parallel'], default: 'sequential', description: 'run operators one after another or in parallel' },
    { name: 'enableCpuMemArena', type: 'bool', default: true, description: 'use the CPU memory arena allocator' },
    { name: 'optimizedModelCache', type: 'string', description: 'file for the optimised graph, written at load' },
  ],
});
