"""infermark's Python runtime worker: one process hosts one Python runtime (onnxruntime,
OpenVINO, TVM, TensorFlow, ...) behind the worker protocol of docs/worker-protocol.md."""
