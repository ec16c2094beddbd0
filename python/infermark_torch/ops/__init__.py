"""ONNX operator converters, by op type. Each converter takes (importer, node)
and returns the value (or list of values) for the node's outputs."""
from .registry import OPS
from . import elementwise, conv_pool, normalization, shape, reduce, matmul, loss, indexing, math, conv_transpose, spatial, resize, quant, rnn, detection, signal, control, text  # noqa: F401  (they register themselves)

__all__ = ["OPS"]
