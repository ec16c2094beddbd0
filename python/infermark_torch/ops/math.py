"""More element-wise math: trigonometry, Mod, BitShift, IsInf/IsNaN, the rarer
activations, CastLike, Det and Einsum."""
import torch
import torch.nn.functional as F

from .registry import Unsupported, op

UNARY = {
    "Tan": torch.tan, "Asin": torch.asin, "Acos": torch.acos, "Atan": torch.atan,
    "Sinh": torch.sinh, "Cosh": torch.cosh, "Asinh": torch.asinh, "Acosh": torch.acosh, "Atanh": torch.atanh,
    "Softsign": F.softsign, "IsNaN": torch.isnan, "Det": torch.linalg.det, "Mish": F.mish,
}
for _name, _fn in UNARY.items():
    op(_name)((lambda fn: lambda b, node: b.call(fn, b.input(node, 0)))(_fn))


def onnx_mod(a, b, fmod):
    # fmod=1 takes the dividend's sign (C fmod); fmod=0 the divisor's (Python %), for integers only.
    return torch.fmod(a, b) if fmod else torch.remainder(a, b)


op("Mod")(lambda b, node: b.call(onnx_mod, b.input(node, 0), b.input(node, 1), bool(node.attrs.get("fmod", 0))))


def bit_shift(x, y, left):
    # torch has no unsigned shifts beyond uint8; a wider type carries the bits for the others.
    wide = torch.int64 if x.dtype != torch.uint8 else x.dtype
    out = (x.to(wide) << y.to(wide)) if left else (x.to(wide) >> y.to(wide))
    return out.to(x.dtype)


@op("BitShift")
def bit_shift_op(b, node):
    return b.call(bit_shift, b.input(node, 0), b.input(node, 1), node.attrs.get("direction") == "LEFT")


def is_inf(x, neg, pos):
    return (torch.isneginf(x) if neg else torch.zeros_like(x, dtype=torch.bool)) | \
        (torch.isposinf(x) if pos else torch.zeros_like(x, dtype=torch.bool))


op("IsInf")(lambda b, node: b.call(is_inf, b.input(node, 0), bool(node.attrs.get("detect_negative", 1)),
                                   bool(node.attrs.get("detect_positive", 1))))


def selu(x, alpha, gamma):
    return gamma * torch.where(x > 0, x, alpha * (torch.exp(x) - 1))


op("Selu")(lambda b, node: b.call(selu, b.input(node, 0), float(node.attrs.get("alpha", 1.67326319217681884765625)),
                                  float(node.attrs.get("gamma", 1.05070102214813232421875))))
op("Celu")(lambda b, node: b.call(F.celu, b.input(node, 0), float(node.attrs.get("alpha", 1.0))))


def thresholded_relu(x, alpha):
    return torch.where(x > alpha, x, torch.zeros_like(x))


op("ThresholdedRelu")(lambda b, node: b.call(thresholded_relu, b.input(node, 0), float(node.attrs.get("alpha", 1.0))))


def shrink(x, lambd, bias):
    return torch.where(x < -lambd, x + bias, torch.where(x > lambd, x - bias, torch.zeros_like(x))).to(x.dtype)


op("Shrink")(lambda b, node: b.call(shrink, b.input(node, 0), float(node.attrs.get("lambd", 0.5)), float(node.attrs.get("bias", 0.0))))


def cast_like(x, like):
    return x.to(like.dtype)


op("CastLike")(lambda b, node: b.call(cast_like, b.input(node, 0), b.input(node, 1)))


@op("Einsum")
def einsum_op(b, node):
    equation = str(node.attrs.get("equation", "")).replace(" ", "")
    if not equation:
        raise Unsupported("Einsum without an equation")
    return b.call(torch.einsum, equation, *[b.value(i) for i in node.inputs if i])
