"""MatMul and Gemm."""
import torch

from .registry import op


@op("MatMul")
def matmul(b, node):
    return b.call(torch.matmul, b.input(node, 0), b.input(node, 1))


def gemm(a, w, c, alpha, beta, trans_a, trans_b):
    if trans_a:
        a = a.t()
    if trans_b:
        w = w.t()
    if c is None:
        out = a @ w
        return out * alpha if alpha != 1.0 else out
    # addmm is one fused kernel: beta*c + alpha*(a@w).
    return torch.addmm(c, a, w, beta=beta, alpha=alpha) if c.dim() <= 2 else beta * c + alpha * (a @ w)


@op("Gemm")
def gemm_op(b, node):
    a, w, c = b.input(node, 0), b.input(node, 1), b.input(node, 2)
    return b.call(gemm, a, w, c, float(node.attrs.get("alpha", 1.0)), float(node.attrs.get("beta", 1.0)),
                  bool(node.attrs.get("transA", 0)), bool(node.attrs.get("transB", 0)))
