"""The converter table and the decorator that fills it."""
OPS = {}


class Unsupported(ValueError):
    """A node torch cannot express; the importer names the operator and opset."""


# Operators whose results depend on input values through Python control flow or
# data-dependent shapes: a torchscript trace would freeze what the first input gave.
VALUE_DEPENDENT = {"NonZero", "NonMaxSuppression", "Unique", "Compress", "If", "Loop", "TfIdfVectorizer",
                   "ReverseSequence", "RoiAlign", "ScatterND"}


def op(*names):
    def register(fn):
        for name in names:
            OPS[name] = fn
        return fn
    return register


def attr_ints(node, name, default=None):
    v = node.attrs.get(name, default)
    return None if v is None else [int(x) for x in v]


def ints_arg(b, node, index):
    """An int-list input: a Python list if known at import, else the graph value; None if omitted."""
    if index >= len(node.inputs) or not node.inputs[index]:
        return None
    known = b.const_ints(node.inputs[index])
    return known if known is not None else b.value(node.inputs[index])


def as_ints(v):
    """A list of ints from a list or a tensor (read at run time when the value was computed)."""
    import torch
    return [int(x) for x in v.reshape(-1).tolist()] if isinstance(v, torch.Tensor) else [int(x) for x in v]
