"""infermark's own ONNX -> TensorFlow mapping: each ONNX node becomes TensorFlow ops inside
one function, keeping ONNX's NCHW layout at the graph's edges (convolutions and pools
transpose to NHWC, which TensorFlow's CPU kernels want, and back; grappler and XLA fold
the pairs). It covers the operators the zoo's networks use; any other operator stops the
conversion with its name and node, which the trial reports as its failure reason."""
import numpy as np
import onnx
from onnx import numpy_helper
import tensorflow as tf


class UnsupportedOperator(Exception):
    """The mapping has no rule for an operator (or for one of its attributes)."""


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _is_const(v):
    return isinstance(v, np.ndarray)


def _const(v, what, node):
    if not _is_const(v):
        raise UnsupportedOperator(f"node {node.name or node.op_type} ({node.op_type}): {what} must be a constant in this mapping")
    return v


def _to_nhwc(x):
    return tf.transpose(x, [0, 2, 3, 1])


def _to_nchw(x):
    return tf.transpose(x, [0, 3, 1, 2])


def _spatial_pads(pads):
    top, left, bottom, right = pads
    return [[0, 0], [top, bottom], [left, right], [0, 0]]


def _conv(node, ins, a):
    x, w = ins[0], _const(ins[1], "the weight", node)
    if w.ndim != 4:
        raise UnsupportedOperator(f"node {node.name} (Conv): only 2-D convolutions are mapped (weight rank {w.ndim})")
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise UnsupportedOperator(f"node {node.name} (Conv): auto_pad is not mapped; give explicit pads")
    strides = list(a.get("strides", [1, 1]))
    dil = list(a.get("dilations", [1, 1]))
    pads = list(a.get("pads", [0, 0, 0, 0]))
    group = int(a.get("group", 1))
    out_c, in_per_group = w.shape[0], w.shape[1]
    y = _to_nhwc(x)
    if any(pads):
        y = tf.pad(y, _spatial_pads(pads))
    if group == 1:
        y = tf.nn.conv2d(y, w.transpose(2, 3, 1, 0), strides=[1] + strides + [1], padding="VALID", dilations=[1] + dil + [1])
    elif in_per_group == 1 and out_c % group == 0:
        mult = out_c // group
        f = w.reshape(group, mult, w.shape[2], w.shape[3]).transpose(2, 3, 0, 1)
        y = tf.nn.depthwise_conv2d(y, f, strides=[1] + strides + [1], padding="VALID", dilations=dil)
    else:
        xs = tf.split(y, group, axis=3)
        ws = np.split(w, group, axis=0)
        y = tf.concat([tf.nn.conv2d(xi, wi.transpose(2, 3, 1, 0), strides=[1] + strides + [1], padding="VALID",
                                    dilations=[1] + dil + [1]) for xi, wi in zip(xs, ws)], axis=3)
    if len(ins) > 2 and ins[2] is not None:
        y = tf.nn.bias_add(y, ins[2])
    return _to_nchw(y)


def _pool(node, ins, a, kind):
    if int(a.get("ceil_mode", 0)) != 0:
        raise UnsupportedOperator(f"node {node.name} ({node.op_type}): ceil_mode 1 is not mapped")
    k = list(a["kernel_shape"])
    strides = list(a.get("strides", [1] * len(k)))
    pads = list(a.get("pads", [0] * 2 * len(k)))
    if len(k) != 2:
        raise UnsupportedOperator(f"node {node.name} ({node.op_type}): only 2-D pooling is mapped")
    y = _to_nhwc(ins[0])
    if kind == "max":
        if any(pads):
            y = tf.pad(y, _spatial_pads(pads), constant_values=-np.inf)
        y = tf.nn.max_pool2d(y, k, strides, "VALID")
    else:
        if any(pads) and int(a.get("count_include_pad", 0)) == 0:
            raise UnsupportedOperator(f"node {node.name} (AveragePool): padding with count_include_pad 0 is not mapped")
        if any(pads):
            y = tf.pad(y, _spatial_pads(pads))
        y = tf.nn.avg_pool2d(y, k, strides, "VALID")
    return _to_nchw(y)


def _channel_shape(v, rank):
    return np.reshape(v, [1, -1] + [1] * (rank - 2))


def _batchnorm(node, ins, a):
    x = ins[0]
    scale, bias, mean, var = (_const(v, "scale, bias, mean and variance", node) for v in ins[1:5])
    mul = scale / np.sqrt(var + np.float32(a.get("epsilon", 1e-5)))
    add = bias - mean * mul
    rank = len(x.shape)
    return x * _channel_shape(mul.astype(np.float32), rank) + _channel_shape(add.astype(np.float32), rank)


def _shape_list(x):
    static = x.shape.as_list()
    dynamic = tf.shape(x)
    return [dynamic[i] if d is None else d for i, d in enumerate(static)]


def _flatten(node, ins, a):
    x = ins[0]
    axis = int(a.get("axis", 1))
    dims = _shape_list(x)
    axis = axis if axis >= 0 else len(dims) + axis
    lead = 1
    for d in dims[:axis]:
        lead = lead * d
    return tf.reshape(x, tf.stack([lead, -1]) if not isinstance(lead, int) else [lead, -1])


def _reshape(node, ins, a):
    x = ins[0]
    target = [int(v) for v in _const(ins[1], "the target shape", node)]
    dims = _shape_list(x)
    if int(a.get("allowzero", 0)) == 0:
        target = [dims[i] if v == 0 else v for i, v in enumerate(target)]
    if all(isinstance(v, int) for v in target):
        return tf.reshape(x, target)
    return tf.reshape(x, tf.stack([tf.cast(v, tf.int32) for v in target]))


def _gemm(node, ins, a):
    A, B = ins[0], ins[1]
    if int(a.get("transA", 0)):
        A = tf.transpose(A)
    if _is_const(B):
        B = B.T if int(a.get("transB", 0)) else B
    elif int(a.get("transB", 0)):
        B = tf.transpose(B)
    y = tf.linalg.matmul(A, B) * np.float32(a.get("alpha", 1.0))
    if len(ins) > 2 and ins[2] is not None:
        y = y + np.float32(a.get("beta", 1.0)) * ins[2]
    return y


def _matmul(node, ins, a):
    A, B = ins
    if len(B.shape) == 2 and len(A.shape) > 2:
        return tf.tensordot(A, B, axes=1)
    return tf.linalg.matmul(A, B)


def _axes(node, ins, a, index):
    if len(ins) > index and ins[index] is not None:
        return [int(v) for v in _const(ins[index], "axes", node)]
    return list(a["axes"]) if "axes" in a else None


def _clip(node, ins, a):
    lo = ins[1] if len(ins) > 1 and ins[1] is not None else a.get("min")
    hi = ins[2] if len(ins) > 2 and ins[2] is not None else a.get("max")
    x = ins[0]
    if lo is not None:
        x = tf.maximum(x, lo)
    if hi is not None:
        x = tf.minimum(x, hi)
    return x


def _layernorm(node, ins, a):
    x = ins[0]
    axis = int(a.get("axis", -1))
    rank = len(x.shape)
    axes = list(range(axis if axis >= 0 else rank + axis, rank))
    mean, var = tf.nn.moments(x, axes, keepdims=True)
    y = (x - mean) * tf.math.rsqrt(var + np.float32(a.get("epsilon", 1e-5))) * ins[1]
    return y + ins[2] if len(ins) > 2 and ins[2] is not None else y


def _unsqueeze(node, ins, a):
    x = ins[0]
    axes = sorted(_axes(node, ins, a, 1))
    rank = len(x.shape) + len(axes)
    for ax in sorted(v if v >= 0 else rank + v for v in axes):
        x = tf.expand_dims(x, ax)
    return x


def _reduce_mean(node, ins, a):
    axes = _axes(node, ins, a, 1)
    return tf.reduce_mean(ins[0], axis=axes, keepdims=bool(a.get("keepdims", 1)))


def _cast(node, ins, a):
    np_type = onnx.helper.tensor_dtype_to_np_dtype(int(a["to"]))
    return tf.cast(ins[0], tf.as_dtype(np_type))


def _softmax(node, ins, a):
    return tf.nn.softmax(ins[0], axis=int(a.get("axis", -1)))


def _gather(node, ins, a):
    return tf.gather(ins[0], ins[1], axis=int(a.get("axis", 0)))


RULES = {
    "Conv": _conv,
    "MaxPool": lambda n, i, a: _pool(n, i, a, "max"),
    "AveragePool": lambda n, i, a: _pool(n, i, a, "avg"),
    "GlobalAveragePool": lambda n, i, a: tf.reduce_mean(i[0], axis=list(range(2, len(i[0].shape))), keepdims=True),
    "BatchNormalization": _batchnorm,
    "Relu": lambda n, i, a: tf.nn.relu(i[0]),
    "Sigmoid": lambda n, i, a: tf.sigmoid(i[0]),
    "Tanh": lambda n, i, a: tf.tanh(i[0]),
    "Erf": lambda n, i, a: tf.math.erf(i[0]),
    "Sqrt": lambda n, i, a: tf.sqrt(i[0]),
    "Clip": _clip,
    "Add": lambda n, i, a: tf.add(i[0], i[1]),
    "Sub": lambda n, i, a: tf.subtract(i[0], i[1]),
    "Mul": lambda n, i, a: tf.multiply(i[0], i[1]),
    "Div": lambda n, i, a: tf.divide(i[0], i[1]),
    "Pow": lambda n, i, a: tf.pow(i[0], i[1]),
    "Flatten": _flatten,
    "Reshape": _reshape,
    "Transpose": lambda n, i, a: tf.transpose(i[0], list(a["perm"]) if "perm" in a else None),
    "Gemm": _gemm,
    "MatMul": _matmul,
    "Softmax": _softmax,
    "ReduceMean": _reduce_mean,
    "LayerNormalization": _layernorm,
    "Gather": _gather,
    "Unsqueeze": _unsqueeze,
    "Cast": _cast,
    "Concat": lambda n, i, a: tf.concat(list(i), axis=int(a["axis"])),
    "Identity": lambda n, i, a: tf.identity(i[0]),
}

def check(graph):
    """Raise UnsupportedOperator for the first node the mapping has no rule for."""
    for node in graph.node:
        if node.op_type != "Constant" and (node.domain not in ("", "ai.onnx") or node.op_type not in RULES):
            raise UnsupportedOperator(
                f"the ONNX -> TensorFlow mapping has no rule for operator {node.op_type} (node {node.name or '?'}); "
                f"mapped operators: {', '.join(sorted(RULES))}")


def graph_io(graph):
    inits = {i.name for i in graph.initializer}
    inputs = [i for i in graph.input if i.name not in inits]
    return inputs, list(graph.output)


def input_specs(graph):
    specs = []
    for vi in graph_io(graph)[0]:
        t = vi.type.tensor_type
        shape = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
        specs.append(tf.TensorSpec(shape, tf.as_dtype(onnx.helper.tensor_dtype_to_np_dtype(t.elem_type)), name=vi.name))
    return specs


def to_function(graph):
    """A Python function of the graph's inputs (tf tensors, in order) returning its outputs (a list)."""
    check(graph)
    consts = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    inputs, outputs = graph_io(graph)
    names = [i.name for i in inputs]

    def fn(*args):
        env = dict(consts)
        env.update(zip(names, args))
        for node in graph.node:
            a = _attrs(node)
            if node.op_type == "Constant":
                env[node.output[0]] = numpy_helper.to_array(a["value"])
                continue
            ins = [env[n] if n else None for n in node.input]
            try:
                out = RULES[node.op_type](node, ins, a)
            except UnsupportedOperator:
                raise
            except Exception as err:
                raise UnsupportedOperator(f"node {node.name or '?'} ({node.op_type}) could not be mapped: {type(err).__name__}: {err}") from None
            env[node.output[0]] = out
        return [tf.convert_to_tensor(env[o.name]) for o in outputs]

    return fn, names, [o.name for o in outputs]
