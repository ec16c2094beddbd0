"""infermark's PyTorch worker: runs ONNX graphs (imported into torch) and TorchScript files
for the Node side, over length-prefixed frames on stdin/stdout (docs/worker-protocol.md)."""
