"""Reduce* operators, ArgMax/ArgMin and Hardmax.

Axes come from an attribute before opset 18 (13 for ReduceSum), from an input
after; an axes input computed at run time is read inside the generated code.
"""
import torch

from .registry import as_ints, attr_ints, ints_arg, op


def _dims(x, axes):
    return tuple(as_ints(axes)) if axes is not None and len(as_ints(axes)) else tuple(range(x.dim()))


def _prod(x, dims, keepdims):
    out = x
    for d in sorted((d % x.dim() for d in dims), reverse=True):
        out = out.prod(dim=d, keepdim=keepdims)
    return out


def _extreme(fn):
    def reduce(x, dims, keepdims):
        if x.numel() == 0:
            # An empty reduction has no extreme; ONNX defines it as the identity of max/min.
            shape = [1 if (i in dims or i - x.dim() in dims) else s for i, s in enumerate(x.shape)] if keepdims else \
                [s for i, s in enumerate(x.shape) if not (i in dims or i - x.dim() in dims)]
            fill = float("-inf") if fn is torch.amax else float("inf")
            if not x.is_floating_point():
                info = torch.iinfo(x.dtype)
                fill = info.min if fn is torch.amax else info.max
            return torch.full(shape, fill, dtype=x.dtype)
        return fn(x, dim=dims, keepdim=keepdims)
    return reduce


KINDS = {
    "ReduceMean": lambda x, d, k: x.mean(dim=d, keepdim=k),
    "ReduceSum": lambda x, d, k: x.sum(dim=d, keepdim=k).to(x.dtype),
    "ReduceMax": _extreme(torch.amax),
    "ReduceMin": _extreme(torch.amin),
    "ReduceProd": _prod,
    "ReduceL1": lambda x, d, k: x.abs().sum(dim=d, keepdim=k).to(x.dtype),
    "ReduceL2": lambda x, d, k: x.square().sum(dim=d, keepdim=k).sqrt().to(x.dtype),
    "ReduceSumSquare": lambda x, d, k: x.square().sum(dim=d, keepdim=k).to(x.dtype),
    "ReduceLogSum": lambda x, d, k: x.sum(dim=d, keepdim=k).log(),
    "ReduceLogSumExp": lambda x, d, k: torch.logsumexp(x.double(), dim=d, keepdim=k).to(x.dtype),
}


def reduce_any(x, axes, keepdims, noop_empty, kind):
    if noop_empty and (axes is None or not len(as_ints(axes))):
        return x
    dims = _dims(x, axes)
    if x.dim() == 0:
        return KINDS[kind](x.reshape(1), (0,), False)
    return KINDS[kind](x, dims, keepdims)


def _convert(b, node):
    keepdims = bool(node.attrs.get("keepdims", 1))
    axes = attr_ints(node, "axes")
    if axes is None and len(node.inputs) > 1:
        axes = ints_arg(b, node, 1)
    return b.call(reduce_any, b.input(node, 0), axes, keepdims, bool(node.attrs.get("noop_with_empty_axes", 0)), node.op)


for _name in KINDS:
    op(_name)(_convert)


def arg_extreme(x, axis, keepdims, last, largest):
    fn = torch.argmax if largest else torch.argmin
    if not last:
        return fn(x, axis, keepdims)
    axis %= x.dim()
    flipped = fn(x.flip(axis), axis, keepdims)
    return x.shape[axis] - 1 - flipped


@op("ArgMax", "ArgMin")
def arg_op(b, node):
    return b.call(arg_extreme, b.input(node, 0), int(node.attrs.get("axis", 0)), bool(node.attrs.get("keepdims", 1)),
                  bool(node.attrs.get("select_last_index", 0)), node.op == "ArgMax")


def hardmax(x, axis, flat):
    if flat:
        # Before opset 13 the input is seen as 2-D, flattened at axis.
        shape = x.shape
        lead = 1
        for d in shape[:axis % max(x.dim(), 1)] if axis else []:
            lead *= int(d)
        return hardmax(x.reshape(lead, -1), 1, False).reshape(shape)
    index = torch.argmax(x, axis, keepdim=True)
    return torch.zeros_like(x).scatter_(axis, index, 1)


@op("Hardmax")
def hardmax_op(b, node):
    flat = b.opset < 13
    return b.call(hardmax, b.input(node, 0), int(node.attrs.get("axis", 1 if flat else -1)), flat)
