"""BatchNormalization, LayerNormalization, InstanceNormalization, LRN,
MeanVarianceNormalization, Dropout, Softmax, LogSoftmax; every output of each."""
import torch
import torch.nn.functional as F

from .registry import Unsupported, op


def _wanted(node, index):
    return len(node.outputs) > index and bool(node.outputs[index])


def batch_norm_train(x, scale, bias, mean, var, eps, momentum):
    """Training mode: normalise with the batch's statistics and return the updated running ones too."""
    dims = [0] + list(range(2, x.dim()))
    shape = [1, -1] + [1] * (x.dim() - 2)
    cur_mean = x.mean(dim=dims)
    cur_var = x.var(dim=dims, unbiased=False)
    y = (x - cur_mean.reshape(shape)) / torch.sqrt(cur_var.reshape(shape) + eps) * scale.reshape(shape) + bias.reshape(shape)
    return y, mean * momentum + cur_mean * (1 - momentum), var * momentum + cur_var * (1 - momentum)


@op("BatchNormalization")
def batch_norm(b, node):
    x, scale, bias, mean, var = (b.input(node, i) for i in range(5))
    eps = float(node.attrs.get("epsilon", 1e-5))
    if node.attrs.get("training_mode", 0):
        out = b.split(b.call(batch_norm_train, x, scale, bias, mean, var, eps, float(node.attrs.get("momentum", 0.9))), 3)
        return out[:len(node.outputs)]
    if any(_wanted(node, i) for i in range(1, 5)):
        raise Unsupported("the statistics outputs exist only in training mode")
    return b.call(F.batch_norm, x, mean, var, scale, bias, False, 0.0, eps)


def layer_norm(x, scale, bias, axis, eps, stats, stash_float):
    axis %= x.dim()
    shape = x.shape[axis:]
    if not stats and scale.shape == shape and (bias is None or bias.shape == shape):
        return F.layer_norm(x, shape, scale, bias, eps)
    work = x.float() if stash_float else x
    dims = tuple(range(axis, x.dim()))
    mean = work.mean(dim=dims, keepdim=True)
    inv_std = torch.rsqrt((work - mean).square().mean(dim=dims, keepdim=True) + eps)
    # ONNX lets scale and bias broadcast to the normalised shape; torch's fused op wants them exact.
    y = ((work - mean) * inv_std).to(x.dtype) * scale
    y = y + bias if bias is not None else y
    return (y, mean, inv_std) if stats else y


@op("LayerNormalization")
def layer_normalization(b, node):
    x, scale, bias = b.input(node, 0), b.input(node, 1), b.input(node, 2)
    stats = _wanted(node, 1) or _wanted(node, 2)
    out = b.call(layer_norm, x, scale, bias, int(node.attrs.get("axis", -1)), float(node.attrs.get("epsilon", 1e-5)),
                 stats, int(node.attrs.get("stash_type", 1)) == 1)
    return b.split(out, 3) if stats else out


@op("InstanceNormalization")
def instance_norm(b, node):
    x, scale, bias = b.input(node, 0), b.input(node, 1), b.input(node, 2)
    return b.call(F.instance_norm, x, None, None, scale, bias, True, 0.0, float(node.attrs.get("epsilon", 1e-5)))


@op("LRN")
def lrn(b, node):
    return b.call(F.local_response_norm, b.input(node, 0), int(node.attrs["size"]), float(node.attrs.get("alpha", 1e-4)),
                  float(node.attrs.get("beta", 0.75)), float(node.attrs.get("bias", 1.0)))


def mean_variance_norm(x, axes):
    mean = x.mean(dim=axes, keepdim=True)
    var = (x.square().mean(dim=axes, keepdim=True) - mean.square())
    return (x - mean) / (torch.sqrt(var) + 1e-9)


op("MeanVarianceNormalization")(lambda b, node: b.call(mean_variance_norm, b.input(node, 0),
                                                       tuple(int(a) for a in node.attrs.get("axes", [0, 2, 3]))))


def dropout_checked(x, ratio, training):
    """Dropout whose ratio or training flag is known only at run time."""
    if training is not None and bool(training.reshape(-1)[0]) and (ratio is None or float(ratio.reshape(-1)[0]) != 0.0):
        raise ValueError("torch cannot run operator Dropout: training_mode=1 with a non-zero ratio draws a random mask")
    return x, torch.ones_like(x, dtype=torch.bool)


@op("Dropout")
def dropout(b, node):
    x = b.input(node, 0)
    training = b.input(node, 2) if b.opset >= 12 else None
    if training is not None and b.const(node.inputs[2]) is None:
        out = b.split(b.call(dropout_checked, x, b.input(node, 1), training), 2)
        return out if _wanted(node, 1) else out[0]
    if training is not None and bool(b.const(node.inputs[2]).reshape(-1)[0]):
        r = b.const(node.inputs[1]) if len(node.inputs) > 1 and node.inputs[1] else torch.tensor(0.5)
        if r is None or float(r.reshape(-1)[0]) != 0.0:
            # A random mask cannot agree with another runtime's; inference models run with training_mode off.
            raise Unsupported("training_mode=1 with a non-zero ratio draws a random mask")
    if _wanted(node, 1):
        return [x, b.call(torch.ones_like, x, dtype=torch.bool)]
    return x


def softmax_2d(x, axis, log):
    """Softmax before opset 13: the input is seen as 2-D, flattened at axis."""
    shape = x.shape
    axis %= max(x.dim(), 1)
    lead = 1
    for d in shape[:axis]:
        lead *= int(d)
    flat = x.reshape(lead, -1)
    out = torch.log_softmax(flat, 1) if log else torch.softmax(flat, 1)
    return out.reshape(shape)


def _softmax(log):
    def convert(b, node):
        x = b.input(node, 0)
        if b.opset >= 13:
            return b.call(torch.log_softmax if log else torch.softmax, x, int(node.attrs.get("axis", -1)))
        return b.call(softmax_2d, x, int(node.attrs.get("axis", 1)), log)
    return convert


op("Softmax")(_softmax(False))
op("LogSoftmax")(_softmax(True))
