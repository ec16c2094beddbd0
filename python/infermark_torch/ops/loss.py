"""NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss, written out so that
ignore_index (negative values included) and class weights follow ONNX exactly."""
import torch

from .registry import Unsupported, op


def nll(x, target, weight, ignore_index, reduction):
    target = target.to(torch.int64)
    keep = torch.ones_like(target, dtype=torch.bool) if ignore_index is None else target != ignore_index
    safe = torch.where(keep, target, torch.zeros_like(target))
    picked = -x.gather(1, safe.unsqueeze(1)).squeeze(1)
    w = weight[safe] if weight is not None else torch.ones_like(picked)
    w = w * keep.to(w.dtype)
    loss = picked * w
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()


def _reduction(node):
    reduction = node.attrs.get("reduction", "mean")
    if reduction not in ("none", "sum", "mean"):
        raise Unsupported(f"reduction {reduction!r}")
    return reduction


def _ignore(node):
    v = node.attrs.get("ignore_index")
    return None if v is None else int(v)


@op("NegativeLogLikelihoodLoss")
def nll_op(b, node):
    return b.call(nll, b.input(node, 0), b.input(node, 1), b.input(node, 2), _ignore(node), _reduction(node))


def softmax_cross_entropy(scores, labels, weight, ignore_index, reduction):
    log_prob = torch.log_softmax(scores, 1)
    return nll(log_prob, labels, weight, ignore_index, reduction), log_prob


@op("SoftmaxCrossEntropyLoss")
def sce_op(b, node):
    out = b.call(softmax_cross_entropy, b.input(node, 0), b.input(node, 1), b.input(node, 2), _ignore(node), _reduction(node))
    return b.split(out, 2)
