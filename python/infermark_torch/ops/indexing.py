"""Indexing operators: GatherElements, GatherND, ScatterElements (Scatter),
ScatterND, OneHot, Compress, NonZero, TopK, Trilu, CumSum, EyeLike,
ReverseSequence, Unique."""
import torch

from .elementwise import ELEM_DTYPES
from .registry import Unsupported, as_ints, op


def _wrap(index, size):
    index = index.to(torch.int64)
    return torch.where(index < 0, index + size, index)


def gather_elements(x, index, axis):
    axis %= x.dim()
    return x.gather(axis, _wrap(index, x.shape[axis]))


op("GatherElements")(lambda b, node: b.call(gather_elements, b.input(node, 0), b.input(node, 1), int(node.attrs.get("axis", 0))))


def gather_nd(x, index, batch_dims):
    index = index.to(torch.int64)
    batch_shape = tuple(x.shape[:batch_dims])
    batch = 1
    for d in batch_shape:
        batch *= int(d)
    depth = index.shape[-1]
    xs = x.reshape((batch,) + tuple(x.shape[batch_dims:]))
    ids = index.reshape(batch, -1, depth)
    ids = torch.where(ids < 0, ids + torch.tensor(x.shape[batch_dims:batch_dims + depth]), ids)
    rows = torch.arange(batch).unsqueeze(1).expand(batch, ids.shape[1])
    picked = xs[(rows,) + tuple(ids[..., k] for k in range(depth))]
    return picked.reshape(tuple(index.shape[:-1]) + tuple(x.shape[batch_dims + depth:]))


op("GatherND")(lambda b, node: b.call(gather_nd, b.input(node, 0), b.input(node, 1), int(node.attrs.get("batch_dims", 0))))

SCATTER_REDUCE = {"add": "sum", "mul": "prod", "max": "amax", "min": "amin"}


def scatter_elements(x, index, updates, axis, reduction):
    axis %= x.dim()
    index = _wrap(index, x.shape[axis])
    if reduction == "none":
        return x.scatter(axis, index, updates)
    return x.scatter_reduce(axis, index, updates, SCATTER_REDUCE[reduction], include_self=True)


@op("ScatterElements", "Scatter")
def scatter_elements_op(b, node):
    reduction = node.attrs.get("reduction", "none")
    if reduction != "none" and reduction not in SCATTER_REDUCE:
        raise Unsupported(f"reduction {reduction!r}")
    return b.call(scatter_elements, b.input(node, 0), b.input(node, 1), b.input(node, 2), int(node.attrs.get("axis", 0)), reduction)


def scatter_nd(x, index, updates, reduction):
    index = index.to(torch.int64)
    depth = index.shape[-1]
    out = x.clone()
    ids = tuple(index.reshape(-1, depth)[:, k] for k in range(depth))
    flat_updates = updates.reshape((-1,) + tuple(x.shape[depth:]))
    if reduction == "none":
        out[ids] = flat_updates
        return out
    # Apply one update at a time so that repeated indices combine as ONNX says.
    for k in range(flat_updates.shape[0]):
        at = tuple(i[k] for i in ids)
        cur = out[at]
        u = flat_updates[k]
        out[at] = cur + u if reduction == "add" else cur * u if reduction == "mul" else \
            torch.maximum(cur, u) if reduction == "max" else torch.minimum(cur, u)
    return out


@op("ScatterND")
def scatter_nd_op(b, node):
    reduction = node.attrs.get("reduction", "none")
    if reduction not in ("none", "add", "mul", "max", "min"):
        raise Unsupported(f"reduction {reduction!r}")
    return b.call(scatter_nd, b.input(node, 0), b.input(node, 1), b.input(node, 2), reduction)


def one_hot(indices, depth, values, axis):
    depth = int(depth.reshape(-1)[0].item())
    indices = indices.to(torch.int64)
    indices = torch.where(indices < 0, indices + depth, indices)
    valid = (indices >= 0) & (indices < depth)
    hot = torch.nn.functional.one_hot(torch.where(valid, indices, torch.zeros_like(indices)), depth).bool()
    hot = hot & valid.unsqueeze(-1)
    out = torch.where(hot, values[1], values[0])
    rank = out.dim()
    return out.movedim(-1, axis % rank)


op("OneHot")(lambda b, node: b.call(one_hot, b.input(node, 0), b.input(node, 1), b.input(node, 2), int(node.attrs.get("axis", -1))))


def compress(x, condition, axis):
    keep = torch.nonzero(condition.to(torch.bool)).reshape(-1)
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    keep = keep[keep < x.shape[axis]]
    return x.index_select(axis, keep)


@op("Compress")
def compress_op(b, node):
    axis = node.attrs.get("axis")
    return b.call(compress, b.input(node, 0), b.input(node, 1), None if axis is None else int(axis))


def non_zero(x):
    if x.dim() == 0:
        # A scalar has no coordinates: shape [0, count].
        return torch.zeros((0, int(bool(x))), dtype=torch.int64)
    return torch.nonzero(x).t().contiguous()


op("NonZero")(lambda b, node: b.call(non_zero, b.input(node, 0)))


def top_k(x, k, axis, largest):
    k = int(as_ints(k)[0])
    axis %= x.dim()
    # ONNX breaks ties by the lower index; a stable sort gives exactly that (torch.topk does not promise it).
    order = torch.sort(x, dim=axis, descending=largest, stable=True)
    return order.values.narrow(axis, 0, k), order.indices.narrow(axis, 0, k)


@op("TopK")
def top_k_op(b, node):
    if b.opset < 10:
        k = [int(node.attrs["k"])]
    else:
        known = b.const_ints(node.inputs[1])
        k = known if known is not None else b.input(node, 1)
    # Sorted output is also a valid order for sorted=0.
    out = b.call(top_k, b.input(node, 0), k, int(node.attrs.get("axis", -1)), bool(node.attrs.get("largest", 1)))
    return b.split(out, 2)


def trilu(x, k, upper):
    k = 0 if k is None else int(as_ints(k)[0])
    return torch.triu(x, k) if upper else torch.tril(x, k)


@op("Trilu")
def trilu_op(b, node):
    k = None
    if len(node.inputs) > 1 and node.inputs[1]:
        known = b.const_ints(node.inputs[1])
        k = known if known is not None else b.input(node, 1)
    return b.call(trilu, b.input(node, 0), k, bool(node.attrs.get("upper", 1)))


def cumsum(x, axis, exclusive, reverse):
    axis = int(as_ints(axis)[0]) % x.dim()
    if reverse:
        x = x.flip(axis)
    out = torch.cumsum(x, axis).to(x.dtype)
    if exclusive:
        out = out - x
    return out.flip(axis) if reverse else out


@op("CumSum")
def cumsum_op(b, node):
    known = b.const_ints(node.inputs[1])
    axis = known if known is not None else b.input(node, 1)
    return b.call(cumsum, b.input(node, 0), axis, bool(node.attrs.get("exclusive", 0)), bool(node.attrs.get("reverse", 0)))


def eye_like(x, k, dtype):
    return torch.eye(x.shape[0], x.shape[1], dtype=dtype or x.dtype).roll(k, 1).triu(k) if k >= 0 else \
        torch.eye(x.shape[0], x.shape[1], dtype=dtype or x.dtype).roll(k, 0).tril(k)


@op("EyeLike")
def eye_like_op(b, node):
    dtype = node.attrs.get("dtype")
    if dtype is not None and int(dtype) not in ELEM_DTYPES:
        raise Unsupported(f"dtype {dtype}")
    return b.call(eye_like, b.input(node, 0), int(node.attrs.get("k", 0)), None if dtype is None else ELEM_DTYPES[int(dtype)])


def reverse_sequence(x, lengths, batch_axis, time_axis):
    out = x.clone()
    for i, n in enumerate(lengths.tolist()):
        src = x.select(batch_axis, i).narrow(time_axis - (1 if batch_axis < time_axis else 0), 0, int(n))
        out.select(batch_axis, i).narrow(time_axis - (1 if batch_axis < time_axis else 0), 0, int(n)).copy_(
            src.flip(time_axis - (1 if batch_axis < time_axis else 0)))
    return out


op("ReverseSequence")(lambda b, node: b.call(reverse_sequence, b.input(node, 0), b.input(node, 1),
                                             int(node.attrs.get("batch_axis", 1)), int(node.attrs.get("time_axis", 0))))


def unique(x, axis, sorted_):
    flat = x if axis is not None else x.reshape(-1)
    axis = 0 if axis is None else axis % x.dim()
    values, inverse, counts = torch.unique(flat, sorted=True, return_inverse=True, return_counts=True, dim=axis)
    n = values.shape[axis]
    # First occurrence of each unique value: the smallest position mapping to it.
    positions = torch.arange(inverse.shape[0], dtype=torch.int64)
    first = torch.full((n,), inverse.shape[0], dtype=torch.int64).scatter_reduce(0, inverse, positions, "amin")
    if not sorted_:
        order = torch.argsort(first)
        remap = torch.empty_like(order)
        remap[order] = torch.arange(n)
        values, first, counts, inverse = values.index_select(axis, order), first[order], counts[order], remap[inverse]
    return values, first, inverse.to(torch.int64), counts.to(torch.int64)


@op("Unique")
def unique_op(b, node):
    axis = node.attrs.get("axis")
    out = b.call(unique, b.input(node, 0), None if axis is None else int(axis), bool(node.attrs.get("sorted", 1)))
    return b.split(out, 4)
