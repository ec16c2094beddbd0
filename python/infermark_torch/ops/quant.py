"""Quantization: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear and the
integer and QLinear operators. Integer arithmetic that torch's CPU kernels lack
(integer convolution) runs in float64, which is exact for 8-bit operands."""
import torch

from .conv_pool import CONV, torch_pad_order
from .elementwise import ELEM_DTYPES
from .registry import Unsupported, attr_ints, op

QUANT_DTYPES = (torch.uint8, torch.int8, torch.int16, torch.int32)


def _along(v, axis, rank):
    """A per-axis (1-D) scale or zero point shaped to broadcast along axis."""
    if v is None or v.dim() == 0 or v.numel() == 1 and rank == 0:
        return v
    if v.dim() == 1 and rank > 1:
        shape = [1] * rank
        shape[axis % rank] = -1
        return v.reshape(shape)
    return v


def quantize(x, scale, zero_point, axis, dtype):
    dtype = dtype if zero_point is None else zero_point.dtype
    info = torch.iinfo(dtype)
    q = torch.round(x.to(torch.float32) / _along(scale, axis, x.dim()).to(torch.float32))
    if zero_point is not None:
        q = q + _along(zero_point, axis, x.dim()).to(torch.float32)
    return q.clamp(info.min, info.max).to(dtype)


@op("QuantizeLinear")
def quantize_op(b, node):
    if node.attrs.get("block_size", 0):
        raise Unsupported("blocked quantization")
    out = int(node.attrs.get("output_dtype", 0))
    dtype = ELEM_DTYPES.get(out, None) if out else torch.uint8
    if dtype not in QUANT_DTYPES:
        raise Unsupported(f"output element type {out}")
    return b.call(quantize, b.input(node, 0), b.input(node, 1), b.input(node, 2) if len(node.inputs) > 2 else None,
                  int(node.attrs.get("axis", 1)), dtype)


def dequantize(x, scale, zero_point, axis):
    v = x.to(torch.float32)
    if zero_point is not None:
        v = v - _along(zero_point, axis, x.dim()).to(torch.float32)
    return (v * _along(scale, axis, x.dim()).to(torch.float32)).to(scale.dtype)


@op("DequantizeLinear")
def dequantize_op(b, node):
    if node.attrs.get("block_size", 0):
        raise Unsupported("blocked quantization")
    return b.call(dequantize, b.input(node, 0), b.input(node, 1), b.input(node, 2) if len(node.inputs) > 2 else None,
                  int(node.attrs.get("axis", 1)))


def dynamic_quantize(x):
    lo = torch.clamp(x.min(), max=0.0)
    hi = torch.clamp(x.max(), min=0.0)
    scale = (hi - lo) / 255.0
    zero_point = torch.round(-lo / scale).clamp(0, 255) if float(scale) != 0 else torch.zeros((), dtype=x.dtype)
    y = torch.round(x / scale) + zero_point if float(scale) != 0 else torch.zeros_like(x)
    return y.clamp(0, 255).to(torch.uint8), scale.to(torch.float32), zero_point.to(torch.uint8)


op("DynamicQuantizeLinear")(lambda b, node: b.split(b.call(dynamic_quantize, b.input(node, 0)), 3))


def _centered(x, zero_point, axis=None):
    v = x.to(torch.float64)
    if zero_point is not None:
        v = v - (_along(zero_point, axis, x.dim()) if axis is not None else zero_point).to(torch.float64)
    return v


def matmul_integer(a, b, a_zero, b_zero):
    # A 1-D b zero point is per column of b: it broadcasts along b's last axis as it is.
    return torch.matmul(_centered(a, a_zero.reshape(-1, 1) if a_zero is not None and a_zero.dim() == 1 and a.dim() > 1 else a_zero),
                        _centered(b, b_zero)).to(torch.int32)


op("MatMulInteger")(lambda b, node: b.call(matmul_integer, *(b.input(node, i) if len(node.inputs) > i else None for i in range(4))))


def conv_float64(x, w, bias, strides, pads, dilations, group):
    rank = w.dim() - 2
    strides, dilations = strides or [1] * rank, dilations or [1] * rank
    pads = pads or [0] * (2 * rank)
    if pads[:rank] != pads[rank:]:
        x, pads = torch.nn.functional.pad(x, torch_pad_order(pads)), [0] * (2 * rank)
    return CONV[rank](x, w, bias, strides, pads[:rank], dilations, group)


def conv_integer(x, w, x_zero, w_zero, strides, pads, dilations, group):
    out = conv_float64(_centered(x, x_zero), _centered(w, w_zero, 0), None, strides, pads, dilations, group)
    return out.round().to(torch.int32)


def _conv_attrs(node):
    if node.attrs.get("auto_pad", "NOTSET") != "NOTSET":
        raise Unsupported("auto_pad on an integer convolution")
    return attr_ints(node, "strides"), attr_ints(node, "pads"), attr_ints(node, "dilations"), int(node.attrs.get("group", 1))


@op("ConvInteger")
def conv_integer_op(b, node):
    ins = [b.input(node, i) if len(node.inputs) > i else None for i in range(4)]
    return b.call(conv_integer, *ins, *_conv_attrs(node))


def requantize(real, y_scale, y_zero, axis=None):
    return quantize(real.to(torch.float32), y_scale, y_zero, 1 if axis is None else axis, torch.uint8)


def qlinear_matmul(a, a_scale, a_zero, b, b_scale, b_zero, y_scale, y_zero):
    real = torch.matmul(_centered(a, a_zero) * a_scale.to(torch.float64), _centered(b, b_zero) * b_scale.to(torch.float64))
    return requantize(real, y_scale, y_zero)


op("QLinearMatMul")(lambda b, node: b.call(qlinear_matmul, *(b.input(node, i) for i in range(8))))


def qlinear_conv(x, x_scale, x_zero, w, w_scale, w_zero, y_scale, y_zero, bias, strides, pads, dilations, group):
    acc = conv_float64(_centered(x, x_zero), _centered(w, w_zero, 0), None, strides, pads, dilations, group)
    if bias is not None:
        acc = acc + bias.to(torch.float64).reshape([1, -1] + [1] * (acc.dim() - 2))
    w_scale = w_scale.to(torch.float64)
    scale = x_scale.to(torch.float64) * (w_scale.reshape([1, -1] + [1] * (acc.dim() - 2)) if w_scale.dim() == 1 else w_scale)
    return requantize(acc * scale, y_scale, y_zero)


@op("QLinearConv")
def qlinear_conv_op(b, node):
    ins = [b.input(node, i) if len(node.inputs) > i else None for i in range(9)]
    return b.call(qlinear_conv, *ins, *_conv_attrs(node))
