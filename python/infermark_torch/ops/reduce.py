"""Reduce* operators. Axes come from an attribute before opset 18 (13 for ReduceSum), from an input after."""
import torch

from .registry import attr_ints, op


def _reduce_fn(kind):
    def reduce(x, axes, keepdims):
        dims = tuple(axes) if axes else tuple(range(x.dim()))
        if kind == "mean":
            return x.mean(dim=dims, keepdim=keepdims)
        if kind == "sum":
            return x.sum(dim=dims, keepdim=keepdims)
        if kind == "max":
            return x.amax(dim=dims, keepdim=keepdims)
        if kind == "min":
            return x.amin(dim=dims, keepdim=keepdims)
        if kind == "l2":
            return x.square().sum(dim=dims, keepdim=keepdims).sqrt()
        if kind == "sumsquare":
            return x.square().sum(dim=dims, keepdim=keepdims)
        out = x
        for d in sorted((d % x.dim() for d in dims), reverse=True):
            out = out.prod(dim=d, keepdim=keepdims)
        return out
    reduce.__name__ = f"reduce_{kind}"
    return reduce


REDUCERS = {"ReduceMean": "mean", "ReduceSum": "sum", "ReduceMax": "max", "ReduceMin": "min",
            "ReduceProd": "prod", "ReduceL2": "l2", "ReduceSumSquare": "sumsquare"}


def _convert(fn):
    def convert(b, node):
        x = b.input(node, 0)
        keepdims = bool(node.attrs.get("keepdims", 1))
        axes = attr_ints(node, "axes")
        if axes is None and len(node.inputs) > 1 and node.inputs[1]:
            axes = b.const_ints(node.inputs[1])
            if axes is None:
                raise ValueError("axes computed at run time are not supported")
        if not axes and node.attrs.get("noop_with_empty_axes", 0):
            return x
        return b.call(fn, x, axes or [], keepdims)
    return convert


for _name, _kind in REDUCERS.items():
    op(_name)(_convert(_reduce_fn(_kind)))


@op("ArgMax", "ArgMin")
def arg_extreme(b, node):
    fn = torch.argmax if node.op == "ArgMax" else torch.argmin
    if node.attrs.get("select_last_index", 0):
        raise ValueError("select_last_index=1 is not supported")
    return b.call(fn, b.input(node, 0), int(node.attrs.get("axis", 0)), bool(node.attrs.get("keepdims", 1)))
