"""The converter table and the decorator that fills it."""
OPS = {}


def op(*names):
    def register(fn):
        for name in names:
            OPS[name] = fn
        return fn
    return register


def attr_ints(node, name, default=None):
    v = node.attrs.get(name, default)
    return None if v is None else [int(x) for x in v]
