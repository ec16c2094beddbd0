"""Element-wise operators: arithmetic, comparisons, activations, Cast, Where."""
import torch
import torch.nn.functional as F

from .registry import op

# ONNX TensorProto element types -> torch dtypes (Cast's "to").
ELEM_DTYPES = {
    1: torch.float32, 2: torch.uint8, 3: torch.int8, 5: torch.int16, 6: torch.int32,
    7: torch.int64, 9: torch.bool, 10: torch.float16, 11: torch.float64, 16: torch.bfloat16,
}

UNARY = {
    "Relu": torch.relu, "Sigmoid": torch.sigmoid, "Tanh": torch.tanh, "Erf": torch.erf,
    "Sqrt": torch.sqrt, "Exp": torch.exp, "Log": torch.log, "Neg": torch.neg, "Abs": torch.abs,
    "Reciprocal": torch.reciprocal, "Floor": torch.floor, "Ceil": torch.ceil, "Not": torch.logical_not,
    "Softplus": F.softplus, "Sin": torch.sin, "Cos": torch.cos, "Sign": torch.sign, "Round": torch.round,
}
BINARY = {
    "Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Pow": torch.pow,
    "Equal": torch.eq, "Less": torch.lt, "LessOrEqual": torch.le, "Greater": torch.gt,
    "GreaterOrEqual": torch.ge, "And": torch.logical_and, "Or": torch.logical_or, "Xor": torch.logical_xor,
}


def _unary(fn):
    return lambda b, node: b.call(fn, b.input(node, 0))


def _binary(fn):
    return lambda b, node: b.call(fn, b.input(node, 0), b.input(node, 1))


for _name, _fn in UNARY.items():
    op(_name)(_unary(_fn))
for _name, _fn in BINARY.items():
    op(_name)(_binary(_fn))


def onnx_div(a, b):
    # ONNX integer division truncates toward zero; torch's "/" would give floats.
    if not a.is_floating_point() and not b.is_floating_point():
        return torch.div(a, b, rounding_mode="trunc")
    return torch.div(a, b)


def onnx_pow(a, b):
    # ONNX Pow keeps the base's type; torch would promote an int base with a float exponent.
    return torch.pow(a, b).to(a.dtype)


op("Div")(_binary(onnx_div))
op("Pow")(_binary(onnx_pow))


def variadic(fn):
    def apply(*xs):
        out = xs[0]
        for x in xs[1:]:
            out = fn(out, x)
        return out
    return apply


_sum, _max, _min = variadic(torch.add), variadic(torch.maximum), variadic(torch.minimum)


def _mean(*xs):
    return _sum(*xs) / len(xs)


for _name, _fn in {"Sum": _sum, "Max": _max, "Min": _min, "Mean": _mean}.items():
    op(_name)((lambda fn: lambda b, node: b.call(fn, *[b.value(i) for i in node.inputs if i]))(_fn))


@op("Identity")
def identity(b, node):
    return b.input(node, 0)


@op("Cast")
def cast(b, node):
    to = int(node.attrs["to"])
    if to not in ELEM_DTYPES:
        raise ValueError(f"Cast to ONNX element type {to} is not supported")
    return b.call(cast_to, b.input(node, 0), ELEM_DTYPES[to])


def cast_to(x, dtype):
    return x.to(dtype)


@op("Where")
def where(b, node):
    return b.call(torch.where, b.input(node, 0), b.input(node, 1), b.input(node, 2))


@op("Clip")
def clip(b, node):
    x = b.input(node, 0)
    if b.opset < 11:
        lo, hi = node.attrs.get("min"), node.attrs.get("max")
    else:
        # Bounds known at import become plain numbers, which torch.clamp takes fastest.
        lo, hi = (_bound(b, node, i) for i in (1, 2))
    if lo is None and hi is None:
        return x
    return b.call(torch.clamp, x, lo, hi)


def _bound(b, node, index):
    if index >= len(node.inputs) or not node.inputs[index]:
        return None
    t = b.const(node.inputs[index])
    # .item() keeps an integer bound an int, so clamping an integer tensor stays integral.
    return t.reshape(-1)[0].item() if t is not None else b.value(node.inputs[index])


def hard_sigmoid(x, alpha, beta):
    return torch.clamp(x * alpha + beta, 0.0, 1.0)


@op("HardSigmoid")
def hardsigmoid(b, node):
    return b.call(hard_sigmoid, b.input(node, 0), float(node.attrs.get("alpha", 0.2)), float(node.attrs.get("beta", 0.5)))


@op("HardSwish")
def hardswish(b, node):
    return b.call(F.hardswish, b.input(node, 0))


@op("LeakyRelu")
def leaky_relu(b, node):
    return b.call(F.leaky_relu, b.input(node, 0), float(node.attrs.get("alpha", 0.01)))


@op("Elu")
def elu(b, node):
    return b.call(F.elu, b.input(node, 0), float(node.attrs.get("alpha", 1.0)))


def prelu(x, slope):
    return torch.where(x >= 0, x, x * slope)


@op("PRelu")
def prelu_op(b, node):
    return b.call(prelu, b.input(node, 0), b.input(node, 1))


@op("Gelu")
def gelu(b, node):
    approximate = node.attrs.get("approximate", "none")
    return b.call(F.gelu, b.input(node, 0), approximate=approximate)
