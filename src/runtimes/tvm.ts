/**
 * Apache TVM in the Python runtime worker: the ONNX model imported into
 * Relax and compiled for the llvm target; compile time is the load time, and
 * the compiled library is cached by model hash, target and options
 * (python/infermark_worker/runtimes/tvm_rt.py). Tuning (MetaSchedule, a
 * bounded trial budget) is a setting, off by default.
 */
import { pythonRuntime } from './python-worker/python-runtime.js';

export default pythonRuntime({
  name: 'tvm',
  description: 'Apache TVM (Relax, llvm target) in a Python worker; compiled once per model, target and options, then cached',
  settings: [
    { name: 'target', type: 'enum', values: ['llvm', 'llvm-native'], default: 'llvm', description: 'llvm: generic x86-64; llvm-native: -mcpu of this machine' },
    {
      name: 'tuning', type: 'enum', values: ['off', 'meta-schedule'], default: 'off',
      description: "schedule tuning; off: TVM's default schedules; meta-schedule: MetaSchedule measures candidate schedules on this CPU for the trial's input shapes (records cached; the search time is reported apart from load time)",
    },
    { name: 'tuningTrials', type: 'int', min: 1, max: 100000, default: 64, description: 'with tuning meta-schedule: candidates measured in all, across the model\'s tasks' },
  ],
});
