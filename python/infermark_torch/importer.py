"""ONNX graph (as infermark's GraphIR, sent by the Node side) -> torch.fx GraphModule.

Each ONNX node becomes one or a few call_function nodes on torch functions or
on the small helpers in ops/, with attributes baked in as constant arguments,
so the generated forward() is straight-line code with no interpretation cost.
Initializers become buffers. A node whose inputs are all known at import time
(shape tensors, Constant chains) is evaluated once here and never at run time.
"""
import operator

import torch
import torch.fx

from .ops import OPS
from .ops.registry import VALUE_DEPENDENT, Unsupported
from .tensors import decode_tensor


class Const:
    """A value known at import time."""
    __slots__ = ("tensor",)

    def __init__(self, tensor):
        self.tensor = tensor


class NodeView:
    """One ONNX node as the converters see it."""
    __slots__ = ("name", "op", "domain", "inputs", "outputs", "attrs")

    def __init__(self, spec, buffers):
        self.name = spec.get("name", "")
        self.op = spec["opType"]
        self.domain = spec.get("domain", "")
        self.inputs = list(spec.get("inputs", []))
        self.outputs = list(spec.get("outputs", []))
        self.attrs = {k: decode_attr(v, buffers) for k, v in spec.get("attrs", {}).items()}


def decode_attr(value, buffers):
    if isinstance(value, dict) and "tensor" in value:
        return decode_tensor(value["tensor"], buffers)
    if isinstance(value, dict) and "graph" in value:
        return value  # a control-flow body; its operator imports it with import_subgraph
    return value


def _has_node(value):
    if isinstance(value, torch.fx.Node):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_node(v) for v in value)
    if isinstance(value, dict):
        return any(_has_node(v) for v in value.values())
    return False


class Importer:
    def __init__(self, opset, buffers=()):
        self.opset = opset
        self.buffers = buffers
        self.graph = torch.fx.Graph()
        self.root = torch.nn.Module()
        self.values = {}
        self._const_nodes = {}
        self._tensor_consts = {}

    # -- what converters use -------------------------------------------------
    def value(self, name):
        """The fx node or Const for an input name; None for an omitted optional input."""
        if name == "":
            return None
        if name not in self.values:
            raise ValueError(f"value {name!r} is used before it is produced; the graph is not in topological order")
        return self.values[name]

    def const(self, name):
        """The tensor if the input is known at import time, else None."""
        v = self.value(name) if name else None
        return v.tensor if isinstance(v, Const) else None

    def const_ints(self, name):
        t = self.const(name)
        return None if t is None else [int(x) for x in t.reshape(-1).tolist()]

    def input(self, node, index):
        """The index-th input of a node, or None if absent or omitted."""
        return self.value(node.inputs[index]) if index < len(node.inputs) else None

    def call(self, fn, *args, **kwargs):
        """Add fn(*args, **kwargs) to the graph, or evaluate it now if nothing depends on the graph's inputs."""
        if not _has_node(args) and not _has_node(kwargs):
            unwrap = lambda v: v.tensor if isinstance(v, Const) else v
            result = fn(*_map(unwrap, args), **{k: _map(unwrap, v) for k, v in kwargs.items()})
            if isinstance(result, (tuple, list)):
                return tuple(Const(r) for r in result)
            return Const(result)
        return self.graph.call_function(fn, _map(self._materialize, args), {k: _map(self._materialize, v) for k, v in kwargs.items()})

    def call_module(self, module, *args):
        """Add module(*args) to the graph as a submodule call, or evaluate it now if every argument is known."""
        if not _has_node(args):
            result = module(*_map(lambda v: v.tensor if isinstance(v, Const) else v, args))
            return tuple(Const(r) for r in result) if isinstance(result, (tuple, list)) else Const(result)
        name = f"sub{len(list(self.root.children()))}"
        self.root.add_module(name, module)
        return self.graph.call_module(name, _map(self._materialize, args))

    def split(self, value, count):
        """The items of a tuple-valued result."""
        if isinstance(value, tuple):
            return list(value)
        return [self.graph.call_function(operator.getitem, (value, i)) for i in range(count)]

    # -- internals ------------------------------------------------------------
    def _materialize(self, v):
        if isinstance(v, torch.Tensor):
            # A tensor baked into generated code would be printed as source text; a buffer keeps it exact.
            v = self._tensor_consts.setdefault(id(v), Const(v))
        if not isinstance(v, Const):
            return v
        key = id(v)
        if key not in self._const_nodes:
            name = f"c{len(self._const_nodes)}"
            self.root.register_buffer(name, v.tensor)
            self._const_nodes[key] = (v, self.graph.get_attr(name))
        return self._const_nodes[key][1]


def _map(fn, value):
    if isinstance(value, tuple):
        return tuple(_map(fn, v) for v in value)
    if isinstance(value, list):
        return [_map(fn, v) for v in value]
    return fn(value)


def _op_types(spec):
    found = {n["opType"] for n in spec["nodes"]}
    for n in spec["nodes"]:
        for v in n.get("attrs", {}).values():
            if isinstance(v, dict) and isinstance(v.get("graph"), dict):
                found |= _op_types(v["graph"])
    return found


def _unknown_ops(spec):
    found = set()
    for n in spec["nodes"]:
        if (n.get("domain") or "") not in ("", "ai.onnx") or n["opType"] not in OPS:
            found.add(n["opType"])
        for v in n.get("attrs", {}).values():
            if isinstance(v, dict) and isinstance(v.get("graph"), dict):
                found |= _unknown_ops(v["graph"])
    return found


def free_names(spec):
    """Names a (sub)graph reads from the scopes around it, in first-use order."""
    defined = set(spec.get("initializers", {})) | {i["name"] for i in spec["inputs"]}
    free = []
    for n in spec["nodes"]:
        used = list(n.get("inputs", []))
        for v in n.get("attrs", {}).values():
            if isinstance(v, dict) and isinstance(v.get("graph"), dict):
                used += free_names(v["graph"])
        free += [u for u in used if u and u not in defined and u not in free]
        defined |= set(n.get("outputs", []))
    return free


def _build(imp, spec, buffers, input_names):
    for name, t in spec.get("initializers", {}).items():
        imp.values[name] = Const(decode_tensor(t, buffers))
    for k, name in enumerate(input_names):
        imp.values[name] = imp.graph.placeholder(f"input_{k}")
    for raw in spec["nodes"]:
        node = NodeView(raw, buffers)
        try:
            result = OPS[node.op](imp, node)
        except Unsupported as err:
            raise ValueError(f"torch cannot run operator {node.op} (opset {imp.opset}): not implemented ({err}; node {node.name})") from err
        except Exception as err:
            raise ValueError(f"node {node.name} ({node.op}): {err}") from err
        results = list(result) if isinstance(result, (list, tuple)) else [result]
        for out_name, value in zip(node.outputs, results):
            if out_name:
                imp.values[out_name] = value
    outputs = tuple(imp._materialize(imp.value(o["name"])) for o in spec["outputs"])
    imp.graph.output(outputs)
    gm = torch.fx.GraphModule(imp.root, imp.graph, class_name="OnnxGraph")
    gm.eval()
    return gm


def import_subgraph(parent, spec):
    """A GraphModule for a control-flow body, and the outer-scope values it needs at run time.

    Its forward takes the body's own inputs, then those outer values. Outer values known at
    import are baked in as constants instead."""
    imp = Importer(parent.opset, parent.buffers)
    # Placeholders in call order: the body's own inputs first, then the outer values.
    for k, i in enumerate(spec["inputs"]):
        imp.values[i["name"]] = imp.graph.placeholder(f"input_{k}")
    outer_names, outer_values = [], []
    for name in free_names(spec):
        v = parent.value(name)
        if isinstance(v, Const):
            imp.values[name] = v
        else:
            outer_names.append(name)
            outer_values.append(v)
    for k, name in enumerate(outer_names):
        imp.values[name] = imp.graph.placeholder(f"outer_{k}")
    return _build(imp, spec, parent.buffers, []), outer_values


def import_graph(spec, buffers):
    """Build a GraphModule whose forward takes the graph inputs in order and returns a tuple of outputs."""
    imp = Importer(int(spec.get("opset", 0)) or 17, buffers)
    unknown = sorted(_unknown_ops(spec))
    if unknown:
        raise ValueError("; ".join(f"torch cannot run operator {name} (opset {imp.opset}): not implemented" for name in unknown)
                         + "; run this model on another runtime")
    input_names = [i["name"] for i in spec["inputs"]]
    gm = _build(imp, spec, buffers, input_names)
    gm.value_dependent_ops = sorted(_op_types(spec) & VALUE_DEPENDENT)
    return gm, input_names, [o["name"] for o in spec["outputs"]]
