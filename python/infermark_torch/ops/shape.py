"""Shape and indexing operators: Reshape, Flatten, Transpose, Concat, Gather,
(Un)Squeeze, Shape, Slice, Constant(OfShape), Expand, Pad, Split, Tile, Range.

Shape arguments known at import (initializers, Constant chains) are baked in
as Python lists; ones computed at run time are read with .tolist().
"""
import torch
import torch.nn.functional as F

from .conv_pool import torch_pad_order
from .registry import attr_ints, op


def as_ints(v):
    return [int(x) for x in v.reshape(-1).tolist()] if isinstance(v, torch.Tensor) else [int(x) for x in v]


def _ints_arg(b, node, index):
    """An int-list input: a Python list if known at import, else the graph value."""
    if index >= len(node.inputs) or not node.inputs[index]:
        return None
    known = b.const_ints(node.inputs[index])
    return known if known is not None else b.value(node.inputs[index])


def reshape(x, shape, allowzero):
    shape = as_ints(shape)
    if not allowzero:
        shape = [int(x.shape[i]) if d == 0 else d for i, d in enumerate(shape)]
    return x.reshape(shape)


@op("Reshape")
def reshape_op(b, node):
    return b.call(reshape, b.input(node, 0), _ints_arg(b, node, 1), bool(node.attrs.get("allowzero", 0)))


def flatten(x, axis):
    if axis < 0:
        axis += x.dim()  # axis may equal the rank (all dims in the first factor), so no modulo
    lead = 1
    for d in x.shape[:axis]:
        lead *= int(d)
    return x.reshape(lead, -1)


op("Flatten")(lambda b, node: b.call(flatten, b.input(node, 0), int(node.attrs.get("axis", 1))))


def transpose(x, perm):
    return x.permute(perm if perm is not None else list(reversed(range(x.dim()))))


op("Transpose")(lambda b, node: b.call(transpose, b.input(node, 0), attr_ints(node, "perm")))


@op("Concat")
def concat(b, node):
    return b.call(torch.cat, [b.value(i) for i in node.inputs if i], int(node.attrs["axis"]))


def gather(x, indices, axis):
    axis = axis % x.dim()
    indices = torch.where(indices < 0, indices + x.shape[axis], indices)
    picked = x.index_select(axis, indices.reshape(-1).to(torch.int64))
    return picked.reshape(tuple(x.shape[:axis]) + tuple(indices.shape) + tuple(x.shape[axis + 1:]))


op("Gather")(lambda b, node: b.call(gather, b.input(node, 0), b.input(node, 1), int(node.attrs.get("axis", 0))))


def unsqueeze(x, axes):
    rank = x.dim() + len(axes)
    for a in sorted(int(a) % rank for a in as_ints(axes)):
        x = x.unsqueeze(a)
    return x


def squeeze(x, axes):
    if axes is None:
        return x.squeeze()
    for a in sorted((int(a) % x.dim() for a in as_ints(axes)), reverse=True):
        x = x.squeeze(a)
    return x


def _axes(b, node):
    return attr_ints(node, "axes") if b.opset < 13 else _ints_arg(b, node, 1)


op("Unsqueeze")(lambda b, node: b.call(unsqueeze, b.input(node, 0), _axes(b, node)))
op("Squeeze")(lambda b, node: b.call(squeeze, b.input(node, 0), _axes(b, node)))


def shape_of(x, start, end):
    return torch.tensor(list(x.shape)[start:end], dtype=torch.int64)


@op("Shape")
def shape_op(b, node):
    end = node.attrs.get("end")
    return b.call(shape_of, b.input(node, 0), int(node.attrs.get("start", 0)), None if end is None else int(end))


def size_of(x):
    return torch.tensor(x.numel(), dtype=torch.int64)


op("Size")(lambda b, node: b.call(size_of, b.input(node, 0)))


def slice_(x, starts, ends, axes, steps):
    starts, ends = as_ints(starts), as_ints(ends)
    axes = as_ints(axes) if axes is not None else list(range(len(starts)))
    steps = as_ints(steps) if steps is not None else [1] * len(starts)
    for start, end, axis, step in zip(starts, ends, axes, steps):
        axis %= x.dim()
        dim = int(x.shape[axis])
        start = start + dim if start < 0 else start
        end = end + dim if end < 0 else end
        if step > 0:
            start, end = min(max(start, 0), dim), min(max(end, 0), dim)
            if step == 1:
                x = x.narrow(axis, start, max(end - start, 0))
                continue
        else:
            start, end = min(max(start, -1), dim - 1), min(max(end, -1), dim - 1)
        index = torch.arange(start, end, step, dtype=torch.int64, device=x.device)
        x = x.index_select(axis, index)
    return x


@op("Slice")
def slice_op(b, node):
    x = b.input(node, 0)
    if b.opset < 10:
        return b.call(slice_, x, attr_ints(node, "starts"), attr_ints(node, "ends"), attr_ints(node, "axes"), None)
    return b.call(slice_, x, *(_ints_arg(b, node, i) for i in (1, 2, 3, 4)))


@op("Constant")
def constant(b, node):
    a = node.attrs
    if "value" in a:
        t = a["value"]
    elif "value_float" in a:
        t = torch.tensor(float(a["value_float"]), dtype=torch.float32)
    elif "value_floats" in a:
        t = torch.tensor([float(v) for v in a["value_floats"]], dtype=torch.float32)
    elif "value_int" in a:
        t = torch.tensor(int(a["value_int"]), dtype=torch.int64)
    elif "value_ints" in a:
        t = torch.tensor([int(v) for v in a["value_ints"]], dtype=torch.int64)
    else:
        raise ValueError(f"Constant with attribute(s) {', '.join(a)} is not supported")
    return b.call(lambda: t)


def constant_of_shape(shape, value):
    return torch.full(as_ints(shape), value.reshape(()).item(), dtype=value.dtype)


@op("ConstantOfShape")
def constant_of_shape_op(b, node):
    value = node.attrs.get("value", torch.zeros(1, dtype=torch.float32))
    return b.call(constant_of_shape, _ints_arg(b, node, 0), value)


def expand(x, shape):
    return x.expand(torch.broadcast_shapes(tuple(x.shape), tuple(as_ints(shape))))


op("Expand")(lambda b, node: b.call(expand, b.input(node, 0), _ints_arg(b, node, 1)))

PAD_MODES = {"constant": "constant", "reflect": "reflect", "edge": "replicate", "wrap": "circular"}


def pad(x, pads, value, mode, axes):
    pads = as_ints(pads)
    if axes is not None:
        full = [0] * (2 * x.dim())
        axes = [int(a) % x.dim() for a in as_ints(axes)]
        for k, a in enumerate(axes):
            full[a], full[a + x.dim()] = pads[k], pads[k + len(axes)]
        pads = full
    value = 0.0 if value is None else float(value.reshape(-1)[0]) if isinstance(value, torch.Tensor) else float(value)
    if mode != "constant":
        # torch's non-constant modes pad only the trailing spatial axes; ONNX models pad those too.
        order = torch_pad_order(pads)
        while len(order) > 2 and order[-1] == 0 and order[-2] == 0:
            order = order[:-2]
        return F.pad(x, order, mode=PAD_MODES[mode])
    return F.pad(x, torch_pad_order(pads), value=value)


@op("Pad")
def pad_op(b, node):
    mode = node.attrs.get("mode", "constant")
    if mode not in PAD_MODES:
        raise ValueError(f"Pad mode {mode!r} is not supported")
    x = b.input(node, 0)
    if b.opset < 11:
        return b.call(pad, x, attr_ints(node, "pads"), float(node.attrs.get("value", 0.0)), mode, None)
    value = b.input(node, 2)
    known = b.const(node.inputs[2]) if value is not None else None
    if known is not None:
        value = float(known.reshape(-1)[0]) if known.numel() else None
    return b.call(pad, x, _ints_arg(b, node, 1), value, mode, _ints_arg(b, node, 3))


def split(x, sizes, axis, count):
    if sizes is None:
        dim = int(x.shape[axis])
        chunk = -(-dim // count)
        sizes = [min(chunk, dim - i * chunk) for i in range(count)]
    return torch.split(x, as_ints(sizes), axis)


@op("Split")
def split_op(b, node):
    count = len(node.outputs)
    sizes = attr_ints(node, "split") if b.opset < 13 else _ints_arg(b, node, 1)
    return b.split(b.call(split, b.input(node, 0), sizes, int(node.attrs.get("axis", 0)), count), count)


def tile(x, repeats):
    return x.repeat(as_ints(repeats))


op("Tile")(lambda b, node: b.call(tile, b.input(node, 0), _ints_arg(b, node, 1)))


def range_(start, limit, delta):
    return torch.arange(start.item(), limit.item(), delta.item(), dtype=start.dtype)


op("Range")(lambda b, node: b.call(range_, b.input(node, 0), b.input(node, 1), b.input(node, 2)))


