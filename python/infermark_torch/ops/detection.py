"""Detection operators: NonMaxSuppression, RoiAlign, MaxUnpool."""
import torch

from .registry import Unsupported, attr_ints, op


def _corners(boxes, center):
    if center:
        xc, yc, w, h = boxes.unbind(-1)
        return torch.stack([yc - h / 2, xc - w / 2, yc + h / 2, xc + w / 2], -1)
    y1, x1, y2, x2 = boxes.unbind(-1)
    return torch.stack([torch.minimum(y1, y2), torch.minimum(x1, x2), torch.maximum(y1, y2), torch.maximum(x1, x2)], -1)


def _iou(box, others):
    top = torch.maximum(box[0], others[:, 0])
    left = torch.maximum(box[1], others[:, 1])
    bottom = torch.minimum(box[2], others[:, 2])
    right = torch.minimum(box[3], others[:, 3])
    inter = (bottom - top).clamp(min=0) * (right - left).clamp(min=0)
    area = lambda b: (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    union = area(box) + area(others) - inter
    return torch.where(union > 0, inter / union, torch.zeros_like(inter))


def non_max_suppression(boxes, scores, max_out, iou_threshold, score_threshold, center):
    limit = int(max_out.reshape(-1)[0]) if max_out is not None and max_out.numel() else 0
    iou_t = float(iou_threshold.reshape(-1)[0]) if iou_threshold is not None and iou_threshold.numel() else 0.0
    score_t = float(score_threshold.reshape(-1)[0]) if score_threshold is not None and score_threshold.numel() else None
    picked = []
    for n in range(boxes.shape[0]):
        corners = _corners(boxes[n].to(torch.float64), center)
        for c in range(scores.shape[1]):
            s = scores[n, c]
            order = torch.sort(s, descending=True, stable=True).indices.tolist()
            kept = []
            for i in order:
                if len(kept) >= limit:
                    break
                if score_t is not None and not float(s[i]) > score_t:
                    break
                if kept and bool((_iou(corners[i], corners[kept]) > iou_t).any()):
                    continue
                kept.append(i)
            picked += [[n, c, i] for i in kept]
    return torch.tensor(picked, dtype=torch.int64).reshape(-1, 3)


@op("NonMaxSuppression")
def nms_op(b, node):
    ins = [b.input(node, i) if len(node.inputs) > i else None for i in range(5)]
    return b.call(non_max_suppression, *ins, bool(node.attrs.get("center_point_box", 0)))


def roi_align(x, rois, batch_indices, mode, out_h, out_w, ratio, scale, half_pixel):
    offset = 0.5 if half_pixel else 0.0
    results = []
    height, width = int(x.shape[2]), int(x.shape[3])
    for k in range(rois.shape[0]):
        x1, y1, x2, y2 = (float(v) * scale - offset for v in rois[k])
        roi_w, roi_h = x2 - x1, y2 - y1
        if not half_pixel:
            roi_w, roi_h = max(roi_w, 1.0), max(roi_h, 1.0)
        bin_h, bin_w = roi_h / out_h, roi_w / out_w
        gh = ratio if ratio > 0 else int(-(-roi_h // out_h)) or 1
        gw = ratio if ratio > 0 else int(-(-roi_w // out_w)) or 1
        iy = torch.arange(out_h, dtype=torch.float64).unsqueeze(1) * bin_h + (torch.arange(gh, dtype=torch.float64) + 0.5) * bin_h / gh + y1
        ix = torch.arange(out_w, dtype=torch.float64).unsqueeze(1) * bin_w + (torch.arange(gw, dtype=torch.float64) + 0.5) * bin_w / gw + x1
        ys, xs = iy.reshape(-1), ix.reshape(-1)
        fmap = x[int(batch_indices[k])].to(torch.float64)
        samples = _bilinear(fmap, ys, xs, height, width)  # [C, out_h*gh, out_w*gw]
        samples = samples.reshape(fmap.shape[0], out_h, gh, out_w, gw)
        results.append(samples.amax(dim=(2, 4)) if mode == "max" else samples.mean(dim=(2, 4)))
    return torch.stack(results).to(x.dtype) if results else x.new_zeros((0, x.shape[1], out_h, out_w))


def _bilinear(fmap, ys, xs, height, width):
    """Samples at every (y, x) pair of the grid ys x xs, zero outside [-1, size]."""
    valid_y = (ys >= -1.0) & (ys <= height)
    valid_x = (xs >= -1.0) & (xs <= width)
    ys, xs = ys.clamp(min=0), xs.clamp(min=0)
    y0 = ys.floor().to(torch.int64).clamp(max=height - 1)
    x0 = xs.floor().to(torch.int64).clamp(max=width - 1)
    y1 = (y0 + 1).clamp(max=height - 1)
    x1 = (x0 + 1).clamp(max=width - 1)
    ys = torch.where(y0 >= height - 1, y0.to(ys.dtype), ys)
    xs = torch.where(x0 >= width - 1, x0.to(xs.dtype), xs)
    ly, lx = ys - y0, xs - x0
    hy, hx = 1 - ly, 1 - lx
    rows = lambda yi: fmap[:, yi]
    top = rows(y0)[:, :, x0] * hx + rows(y0)[:, :, x1] * lx
    bottom = rows(y1)[:, :, x0] * hx + rows(y1)[:, :, x1] * lx
    out = top * hy.unsqueeze(1) + bottom * ly.unsqueeze(1)
    return out * (valid_y.unsqueeze(1) & valid_x.unsqueeze(0))


@op("RoiAlign")
def roi_align_op(b, node):
    a = node.attrs
    mode = a.get("mode", "avg")
    if mode not in ("avg", "max"):
        raise Unsupported(f"mode {mode!r}")
    half_pixel = a.get("coordinate_transformation_mode", "half_pixel" if b.opset >= 16 else "output_half_pixel") == "half_pixel"
    return b.call(roi_align, b.input(node, 0), b.input(node, 1), b.input(node, 2), mode, int(a.get("output_height", 1)),
                  int(a.get("output_width", 1)), int(a.get("sampling_ratio", 0)), float(a.get("spatial_scale", 1.0)), half_pixel)


def max_unpool(x, indices, output_shape, kernel, strides, pads):
    rank = len(kernel)
    if output_shape is not None:
        shape = [int(v) for v in output_shape.reshape(-1).tolist()]
    else:
        spatial = [(int(d) - 1) * s - pads[i] - pads[i + rank] + k for i, (d, s, k) in enumerate(zip(x.shape[2:], strides, kernel))]
        shape = list(x.shape[:2]) + spatial
    out = torch.zeros(int(torch.tensor(shape).prod()), dtype=x.dtype)
    out[indices.reshape(-1).to(torch.int64)] = x.reshape(-1)
    return out.reshape(shape)


@op("MaxUnpool")
def max_unpool_op(b, node):
    kernel = attr_ints(node, "kernel_shape")
    rank = len(kernel)
    shape = b.input(node, 2) if len(node.inputs) > 2 else None
    return b.call(max_unpool, b.input(node, 0), b.input(node, 1), shape, kernel, attr_ints(node, "strides") or [1] * rank,
                  attr_ints(node, "pads") or [0] * (2 * rank))
