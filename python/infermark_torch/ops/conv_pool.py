"""Conv, ConvTranspose and the pooling operators.

ONNX pads are [begin_1..begin_n, end_1..end_n]; torch's functional ops take
one symmetric padding per axis, so uneven pads become an explicit F.pad
first (with -inf for MaxPool, and an exact divisor for AveragePool).
"""
import math

import torch
import torch.nn.functional as F

from .registry import Unsupported, attr_ints, op

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def torch_pad_order(pads):
    """ONNX [b1..bn, e1..en] -> F.pad's (last axis first) [bn, en, ..., b1, e1]."""
    n = len(pads) // 2
    out = []
    for axis in reversed(range(n)):
        out += [pads[axis], pads[axis + n]]
    return out


def same_pads(x, kernel, strides, dilations, upper):
    """auto_pad SAME_*: pads that keep ceil(size / stride), computed from the runtime size."""
    spatial = x.shape[2:]
    pads_begin, pads_end = [], []
    for size, k, s, d in zip(spatial, kernel, strides, dilations):
        out = -(-int(size) // s)
        total = max(0, (out - 1) * s + (k - 1) * d + 1 - int(size))
        small, big = total // 2, total - total // 2
        pads_begin.append(small if upper else big)
        pads_end.append(big if upper else small)
    return pads_begin + pads_end


def pad_same(x, kernel, strides, dilations, upper, value):
    return F.pad(x, torch_pad_order(same_pads(x, kernel, strides, dilations, upper)), value=value)


def _geometry(node, rank):
    kernel = attr_ints(node, "kernel_shape")
    strides = attr_ints(node, "strides") or [1] * rank
    dilations = attr_ints(node, "dilations") or [1] * rank
    pads = attr_ints(node, "pads") or [0] * (2 * rank)
    auto_pad = node.attrs.get("auto_pad", "NOTSET")
    return kernel, strides, dilations, pads, auto_pad


def _pre_pad(b, node, x, kernel, strides, dilations, pads, auto_pad, value):
    """Apply pads that torch's op cannot express; return (x, symmetric padding for the op)."""
    rank = len(kernel)
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        return b.call(pad_same, x, kernel, strides, dilations, auto_pad == "SAME_UPPER", value), [0] * rank
    if auto_pad == "VALID":
        return x, [0] * rank
    begin, end = pads[:rank], pads[rank:]
    if begin == end and all(p <= k // 2 for p, k in zip(begin, kernel)):
        return x, begin
    return b.call(F.pad, x, torch_pad_order(pads), value=value), [0] * rank


def conv_any(x, w, bias, strides, pads, dilations, group, auto_pad):
    """Conv whose weights are computed at run time: the rank and kernel come from w."""
    rank = w.dim() - 2
    kernel = list(w.shape[2:])
    strides, dilations = strides or [1] * rank, dilations or [1] * rank
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        pads = same_pads(x, kernel, strides, dilations, auto_pad == "SAME_UPPER")
    elif auto_pad == "VALID" or not pads:
        pads = [0] * (2 * rank)
    if pads[:rank] != pads[rank:]:
        x, pads = F.pad(x, torch_pad_order(pads)), [0] * (2 * rank)
    return CONV[rank](x, w, bias, strides, pads[:rank], dilations, group)


@op("Conv")
def conv(b, node):
    x, w, bias = b.input(node, 0), b.input(node, 1), b.input(node, 2)
    w_const = b.const(node.inputs[1])
    if w_const is None:
        return b.call(conv_any, x, w, bias, attr_ints(node, "strides"), attr_ints(node, "pads"), attr_ints(node, "dilations"),
                      int(node.attrs.get("group", 1)), node.attrs.get("auto_pad", "NOTSET"))
    rank = w_const.dim() - 2
    if not node.attrs.get("kernel_shape"):
        node.attrs["kernel_shape"] = list(w_const.shape[2:])
    kernel, strides, dilations, pads, auto_pad = _geometry(node, rank)
    # Conv pads with zeros, and torch's conv takes any symmetric padding, so only uneven pads need F.pad.
    if auto_pad == "NOTSET" and pads[:rank] == pads[rank:]:
        x, padding = x, pads[:rank]
    else:
        x, padding = _pre_pad(b, node, x, kernel, strides, dilations, pads, auto_pad, 0.0)
    return b.call(CONV[rank], x, w, bias, strides, padding, dilations, int(node.attrs.get("group", 1)))


def max_pool_indices(x, kernel, strides, padding, dilations, ceil_mode, column_major):
    """MaxPool with ONNX's Indices: offsets into the whole input tensor, row- or column-major."""
    rank = len(kernel)
    y, idx = MAX_POOL[rank](x, kernel, strides, padding, dilations, ceil_mode=ceil_mode, return_indices=True)
    spatial = list(x.shape[2:])
    plane = 1
    for d in spatial:
        plane *= int(d)
    if column_major:
        # torch's offsets are row-major within a plane; rewrite them with the first spatial axis fastest.
        coords, rest = [], idx
        for d in reversed(spatial):
            coords.append(rest % d)
            rest = rest // d
        coords.reverse()
        idx, step = torch.zeros_like(idx), 1
        for c, d in zip(coords, spatial):
            idx, step = idx + c * step, step * d
    n, c = x.shape[0], x.shape[1]
    base = torch.arange(n * c, dtype=torch.int64).reshape([n, c] + [1] * rank) * plane
    return y, idx + base


@op("MaxPool")
def max_pool(b, node):
    x = b.input(node, 0)
    kernel = attr_ints(node, "kernel_shape")
    rank = len(kernel)
    kernel, strides, dilations, pads, auto_pad = _geometry(node, rank)
    if len(node.outputs) > 1 and node.outputs[1]:
        if auto_pad != "NOTSET" or pads[:rank] != pads[rank:]:
            raise Unsupported("the Indices output with uneven or automatic pads")
        return b.split(b.call(max_pool_indices, x, kernel, strides, pads[:rank], dilations, bool(node.attrs.get("ceil_mode", 0)),
                              bool(node.attrs.get("storage_order", 0))), 2)
    x, padding = _pre_pad(b, node, x, kernel, strides, dilations, pads, auto_pad, -math.inf)
    return b.call(MAX_POOL[rank], x, kernel, strides, padding, dilations, ceil_mode=bool(node.attrs.get("ceil_mode", 0)))


def avg_pool_uneven(x, kernel, strides, pads, ceil_mode, count_include_pad):
    """AveragePool with pads torch cannot express: sum over a zero-padded input, divided by the count of real cells."""
    rank = len(kernel)
    padded = F.pad(x, torch_pad_order(pads))
    sums = AVG_POOL[rank](padded, kernel, strides, 0, ceil_mode, True)
    if count_include_pad:
        return sums
    ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
    counts = AVG_POOL[rank](F.pad(ones, torch_pad_order(pads)), kernel, strides, 0, ceil_mode, True)
    return sums / counts


def avg_pool_same(x, kernel, strides, upper, ceil_mode, count_include_pad):
    pads = same_pads(x, kernel, strides, [1] * len(kernel), upper)
    return avg_pool_uneven(x, kernel, strides, pads, ceil_mode, count_include_pad)


@op("AveragePool")
def average_pool(b, node):
    x = b.input(node, 0)
    kernel = attr_ints(node, "kernel_shape")
    rank = len(kernel)
    kernel, strides, dilations, pads, auto_pad = _geometry(node, rank)
    if any(d != 1 for d in dilations):
        raise Unsupported("dilations (torch's average pooling has none)")
    ceil_mode = bool(node.attrs.get("ceil_mode", 0))
    include = bool(node.attrs.get("count_include_pad", 0))
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        return b.call(avg_pool_same, x, kernel, strides, auto_pad == "SAME_UPPER", ceil_mode, include)
    if auto_pad == "VALID":
        pads = [0] * (2 * rank)
    begin, end = pads[:rank], pads[rank:]
    if begin == end and all(p <= k // 2 for p, k in zip(begin, kernel)):
        return b.call(AVG_POOL[rank], x, kernel, strides, begin, ceil_mode, include)
    return b.call(avg_pool_uneven, x, kernel, strides, pads, ceil_mode, include)


def global_avg(x):
    return x.mean(dim=tuple(range(2, x.dim())), keepdim=True)


def global_max(x):
    return x.amax(dim=tuple(range(2, x.dim())), keepdim=True)


op("GlobalAveragePool")(lambda b, node: b.call(global_avg, b.input(node, 0)))
op("GlobalMaxPool")(lambda b, node: b.call(global_max, b.input(node, 0)))
