/**
 * Apache TVM in the Python runtime worker: the ONNX model imported into
 * Relax and compiled for the llvm target; compile time is the load time, and
 * the compiled library is cached by model hash, target and options
 * (python/infermark_worker/runtimes/tvm_rt.py).
 */
import { pythonRuntime } from './python-worker/python-runtime.js';

export default pythonRuntime({
  name: 'tvm',
  description: 'Apache TVM (Relax, llvm target) in a Python worker; compiled once per model, target and options, then cached',
  settings: [
    { name: 'target', type: 'enum', values: ['llvm', 'llvm-native'], default: 'llvm', description: 'llvm: generic x86-64; llvm-native: -mcpu of this machine' },
    { name: 'tuning', type: 'enum', values: ['off'], default: 'off', description: "schedule tuning; off: TVM's default schedules" },
  ],
});
