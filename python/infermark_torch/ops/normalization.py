"""BatchNormalization, LayerNormalization, InstanceNormalization, Softmax, LogSoftmax."""
import torch
import torch.nn.functional as F

from .registry import op


@op("BatchNormalization")
def batch_norm(b, node):
    x, scale, bias, mean, var = (b.input(node, i) for i in range(5))
    if node.attrs.get("training_mode", 0):
        raise ValueError("BatchNormalization in training mode is not supported; export the model for inference")
    return b.call(F.batch_norm, x, mean, var, scale, bias, False, 0.0, float(node.attrs.get("epsilon", 1e-5)))


def layer_norm(x, scale, bias, axis, eps):
    shape = x.shape[axis:]
    if scale.shape == shape and (bias is None or bias.shape == shape):
        return F.layer_norm(x, shape, scale, bias, eps)
    # ONNX lets scale and bias broadcast to the normalised shape; torch's fused op wants them exact.
    out = F.layer_norm(x, shape, None, None, eps) * scale
    return out + bias if bias is not None else out


@op("LayerNormalization")
def layer_normalization(b, node):
    if len(node.outputs) > 1 and any(node.outputs[1:]):
        raise ValueError("LayerNormalization's Mean and InvStdDev outputs are not supported")
    x, scale, bias = b.input(node, 0), b.input(node, 1), b.input(node, 2)
    return b.call(layer_norm, x, scale, bias, int(node.attrs.get("axis", -1)), float(node.attrs.get("epsilon", 1e-5)))


@op("InstanceNormalization")
def instance_norm(b, node):
    x, scale, bias = b.input(node, 0), b.input(node, 1), b.input(node, 2)
    return b.call(F.instance_norm, x, None, None, scale, bias, False, 0.0, float(node.attrs.get("epsilon", 1e-5)))


def softmax_2d(x, axis, log):
    """Softmax before opset 13: the input is seen as 2-D, flattened at axis."""
    shape = x.shape
    flat = x.reshape(int(torch.tensor(shape[:axis]).prod()) if axis else 1, -1)
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
