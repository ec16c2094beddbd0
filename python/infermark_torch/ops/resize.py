"""Resize (opset 10 to 19) and Upsample, computed axis by axis from ONNX's own
definition: each output coordinate is mapped back to the input by the
coordinate transformation mode, then sampled by nearest, linear or cubic
weights over edge-clamped neighbours. Coordinates are float32, as in ONNX's
reference and onnxruntime (a float64 coordinate can land on the other side of
a rounding boundary); the weighted sums are float64."""
import math

import torch

from .registry import Unsupported, op


def _source_coords(out_len, in_len, scale, mode, roi_start, roi_end):
    x = torch.arange(out_len, dtype=torch.float32)
    scale = torch.tensor(scale, dtype=torch.float32)
    if mode == "half_pixel":
        return (x + 0.5) / scale - 0.5
    if mode == "half_pixel_symmetric":
        adjustment = out_len / (scale * in_len)
        offset = in_len / 2 * (1 - adjustment)
        return offset + (x + 0.5) / scale - 0.5
    if mode == "pytorch_half_pixel":
        return (x + 0.5) / scale - 0.5 if out_len > 1 else torch.zeros_like(x)
    if mode == "align_corners":
        return x * (in_len - 1) / (out_len - 1) if out_len > 1 else torch.zeros_like(x)
    if mode == "asymmetric":
        return x / scale
    if mode == "tf_half_pixel_for_nn":
        return (x + 0.5) / scale
    if mode == "tf_crop_and_resize":
        if out_len > 1:
            return roi_start * (in_len - 1) + x * (roi_end - roi_start) * (in_len - 1) / (out_len - 1)
        return torch.full_like(x, 0.5 * (roi_start + roi_end) * (in_len - 1))
    raise ValueError(f"coordinate_transformation_mode {mode!r} is not one of ONNX's")


def _nearest(xs, rule):
    if rule == "round_prefer_floor":
        return torch.ceil(xs - 0.5)
    if rule == "round_prefer_ceil":
        return torch.floor(xs + 0.5)
    if rule == "floor":
        return torch.floor(xs)
    if rule == "ceil":
        return torch.ceil(xs)
    raise ValueError(f"nearest_mode {rule!r} is not one of ONNX's")


def _cubic_weights(t, a):
    def far(d):
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a

    def near(d):
        return ((a + 2) * d - (a + 3)) * d * d + 1
    return torch.stack([far(t + 1), near(t), near(1 - t), far(2 - t)], dim=1)


def _axis_taps(xs, in_len, mode, nearest_rule, cubic_a, exclude_outside):
    """Neighbour indices [out, taps] (edge-clamped) and their weights."""
    if mode == "nearest":
        return _nearest(xs, nearest_rule).to(torch.int64).clamp(0, in_len - 1).unsqueeze(1), torch.ones(len(xs), 1, dtype=torch.float64)
    base = torch.floor(xs)
    t = (xs - base).to(torch.float64)
    if mode == "linear":
        offsets, weights = torch.tensor([0, 1]), torch.stack([1 - t, t], dim=1)
    else:
        offsets, weights = torch.tensor([-1, 0, 1, 2]), _cubic_weights(t, cubic_a)
    raw = base.to(torch.int64).unsqueeze(1) + offsets
    if exclude_outside:
        weights = weights * ((raw >= 0) & (raw < in_len))
        weights = weights / weights.sum(dim=1, keepdim=True)
    return raw.clamp(0, in_len - 1), weights


def _resize_axis(x, axis, out_len, scale, opts, roi):
    in_len = int(x.shape[axis])
    xs = _source_coords(out_len, in_len, scale, opts["ctm"], roi[0], roi[1])
    idx, w = _axis_taps(xs, in_len, opts["mode"], opts["nearest"], opts["cubic_a"], opts["exclude"])
    picked = x.index_select(axis, idx.reshape(-1)).to(torch.float64)
    shape = list(x.shape)
    shape[axis:axis + 1] = [out_len, idx.shape[1]]
    picked = picked.reshape(shape)
    wshape = [1] * len(shape)
    wshape[axis], wshape[axis + 1] = out_len, idx.shape[1]
    out = (picked * w.reshape(wshape)).sum(dim=axis + 1)
    if opts["ctm"] == "tf_crop_and_resize":
        outside = (xs < 0) | (xs > in_len - 1)
        mshape = [1] * out.dim()
        mshape[axis] = out_len
        out = torch.where(outside.reshape(mshape), torch.tensor(opts["extrapolation"], dtype=torch.float64), out)
    return out


def _floats(v):
    return [] if v is None else [float(s) for s in v.reshape(-1).tolist()]


def resize(x, roi, scales, sizes, opts):
    rank = x.dim()
    axes = [a % rank for a in opts["axes"]] if opts["axes"] else list(range(rank))
    scales, sizes, roi = _floats(scales), [int(s) for s in _floats(sizes)], _floats(roi)
    in_shape = [int(d) for d in x.shape]
    if sizes:
        if opts["policy"] != "stretch":
            ratios = [sizes[k] / in_shape[a] for k, a in enumerate(axes)]
            r = min(ratios) if opts["policy"] == "not_larger" else max(ratios)
            scales = [r] * len(axes)
            sizes = [int(math.floor(in_shape[a] * r + 0.5)) for a in axes]
        else:
            scales = [sizes[k] / in_shape[a] for k, a in enumerate(axes)]
    else:
        sizes = [int(math.floor(in_shape[a] * scales[k])) for k, a in enumerate(axes)]
    out = x
    for k, a in enumerate(axes):
        crop = opts["ctm"] == "tf_crop_and_resize"
        window = (roi[k], roi[k + len(axes)]) if crop else (0.0, 1.0)
        if sizes[k] == in_shape[a] and scales[k] == 1.0 and not crop:
            continue
        out = _resize_axis(out, a, sizes[k], scales[k], opts, window)
    return out.to(x.dtype) if x.is_floating_point() else out.round().to(x.dtype)


def _options(node, opset):
    a = node.attrs
    mode = a.get("mode", "nearest")
    if mode not in ("nearest", "linear", "cubic"):
        raise Unsupported(f"mode {mode!r}")
    if int(a.get("antialias", 0)):
        raise Unsupported("antialias=1")
    ctm = a.get("coordinate_transformation_mode", "half_pixel") if opset >= 11 else "asymmetric"
    return {
        "mode": mode, "ctm": ctm,
        "nearest": a.get("nearest_mode", "round_prefer_floor") if opset >= 11 else "floor",
        "cubic_a": float(a.get("cubic_coeff_a", -0.75)), "exclude": bool(a.get("exclude_outside", 0)),
        "extrapolation": float(a.get("extrapolation_value", 0.0)),
        "axes": [int(v) for v in a.get("axes", [])], "policy": a.get("keep_aspect_ratio_policy", "stretch"),
    }


@op("Resize")
def resize_op(b, node):
    opts = _options(node, b.opset)
    x = b.input(node, 0)
    if b.opset < 11:
        return b.call(resize, x, None, b.input(node, 1), None, opts)
    inputs = [b.input(node, i) if len(node.inputs) > i else None for i in (1, 2, 3)]
    return b.call(resize, x, *inputs, opts)


@op("Upsample")
def upsample_op(b, node):
    opts = _options(node, 10)
    if "scales" in node.attrs:
        scales = torch.tensor([float(s) for s in node.attrs["scales"]], dtype=torch.float32)
        return b.call(resize, b.input(node, 0), None, scales, None, opts)
    return b.call(resize, b.input(node, 0), None, b.input(node, 1), None, opts)
