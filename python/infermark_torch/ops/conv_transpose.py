"""ConvTranspose in every form ONNX allows: 1-D to 3-D, weights computed at run
time, uneven pads, auto_pad and output_shape. The full transposed convolution
is computed without padding, then cropped (or extended) to ONNX's pads with F.pad,
which takes negative amounts as crops."""
import torch.nn.functional as F

from .conv_pool import CONV_T, torch_pad_order
from .registry import attr_ints, op


def conv_transpose(x, w, bias, strides, pads, dilations, out_pad, group, auto_pad, output_shape):
    rank = w.dim() - 2
    kernel = list(w.shape[2:])
    strides, dilations = strides or [1] * rank, dilations or [1] * rank
    out_pad = out_pad or [0] * rank
    spatial = [int(d) for d in x.shape[2:]]
    if output_shape or auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        target = list(output_shape)[-rank:] if output_shape else [s * st for s, st in zip(spatial, strides)]
        pads_begin, pads_end = [], []
        for size, s, k, d, op_, t in zip(spatial, strides, kernel, dilations, out_pad, target):
            total = s * (size - 1) + op_ + (k - 1) * d + 1 - t
            small, big = total // 2, total - total // 2
            upper = auto_pad == "SAME_UPPER"
            pads_begin.append(small if upper else big)
            pads_end.append(big if upper else small)
        pads = pads_begin + pads_end
    elif auto_pad == "VALID" or not pads:
        pads = [0] * (2 * rank)
    y = CONV_T[rank](x, w, None, strides, 0, 0, group, dilations)
    # output_padding adds cells at the end of each axis; pads remove cells at both ends.
    crop = [-p for p in pads[:rank]] + [op_ - p for op_, p in zip(out_pad, pads[rank:])]
    if any(crop):
        y = F.pad(y, torch_pad_order(crop))
    if bias is not None:
        y = y + bias.reshape([1, -1] + [1] * rank)
    return y


@op("ConvTranspose")
def conv_transpose_op(b, node):
    x, w, bias = b.input(node, 0), b.input(node, 1), b.input(node, 2)
    return b.call(conv_transpose, x, w, bias, attr_ints(node, "strides"), attr_ints(node, "pads"), attr_ints(node, "dilations"),
                  attr_ints(node, "output_padding"), int(node.attrs.get("group", 1)), node.attrs.get("auto_pad", "NOTSET"),
                  attr_ints(node, "output_shape"))
