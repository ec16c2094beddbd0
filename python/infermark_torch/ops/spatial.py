"""Spatial rearrangements and sampling: DepthToSpace, SpaceToDepth, GridSample."""
import torch.nn.functional as F

from .registry import Unsupported, op


def depth_to_space(x, bs, crd):
    n, c, h, w = (int(d) for d in x.shape)
    if crd:
        y = x.reshape(n, c // (bs * bs), bs, bs, h, w).permute(0, 1, 4, 2, 5, 3)
    else:
        y = x.reshape(n, bs, bs, c // (bs * bs), h, w).permute(0, 3, 4, 1, 5, 2)
    return y.reshape(n, c // (bs * bs), h * bs, w * bs)


op("DepthToSpace")(lambda b, node: b.call(depth_to_space, b.input(node, 0), int(node.attrs["blocksize"]),
                                          node.attrs.get("mode", "DCR") == "CRD"))


def space_to_depth(x, bs):
    n, c, h, w = (int(d) for d in x.shape)
    y = x.reshape(n, c, h // bs, bs, w // bs, bs).permute(0, 3, 5, 1, 2, 4)
    return y.reshape(n, c * bs * bs, h // bs, w // bs)


op("SpaceToDepth")(lambda b, node: b.call(space_to_depth, b.input(node, 0), int(node.attrs["blocksize"])))

GRID_MODES = {"bilinear": "bilinear", "linear": "bilinear", "nearest": "nearest", "bicubic": "bicubic", "cubic": "bicubic"}


@op("GridSample")
def grid_sample(b, node):
    mode = node.attrs.get("mode", "bilinear" if b.opset < 20 else "linear")
    padding = node.attrs.get("padding_mode", "zeros")
    if mode not in GRID_MODES or padding not in ("zeros", "border", "reflection"):
        raise Unsupported(f"mode {mode!r} with padding_mode {padding!r}")
    return b.call(F.grid_sample, b.input(node, 0), b.input(node, 1), GRID_MODES[mode], padding,
                  bool(node.attrs.get("align_corners", 0)))
