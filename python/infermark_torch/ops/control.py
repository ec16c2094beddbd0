"""Control flow: If, Loop and Scan. Each body is imported as its own GraphModule
and run by a small module whose forward is the ONNX semantics as Python
control flow (eager mode; tracing would fix the path taken at the first input)."""
import torch

from .registry import Unsupported, op


def _body(b, node, name):
    from ..importer import import_subgraph  # the importer imports this package; import it when first needed
    attr = node.attrs.get(name)
    if not isinstance(attr, dict) or not isinstance(attr.get("graph"), dict):
        raise Unsupported(f"attribute {name} is not a graph the Node side sent")
    return import_subgraph(b, attr["graph"])


class IfModule(torch.nn.Module):
    def __init__(self, then_branch, else_branch, then_count):
        super().__init__()
        self.then_branch, self.else_branch, self.then_count = then_branch, else_branch, then_count

    def forward(self, cond, *outer):
        if bool(cond.reshape(-1)[0]):
            return self.then_branch(*outer[:self.then_count])
        return self.else_branch(*outer[self.then_count:])


@op("If")
def if_op(b, node):
    then_gm, then_outer = _body(b, node, "then_branch")
    else_gm, else_outer = _body(b, node, "else_branch")
    out = b.call_module(IfModule(then_gm, else_gm, len(then_outer)), b.input(node, 0), *then_outer, *else_outer)
    return b.split(out, len(node.outputs))


class LoopModule(torch.nn.Module):
    def __init__(self, body, carried, scan_count):
        super().__init__()
        self.body, self.carried, self.scan_count = body, carried, scan_count

    def forward(self, trip_count, cond, *rest):
        state, outer = list(rest[:self.carried]), rest[self.carried:]
        limit = int(trip_count.reshape(-1)[0]) if trip_count is not None else None
        go = bool(cond.reshape(-1)[0]) if cond is not None else True
        scans, i = [], 0
        while go and (limit is None or i < limit):
            out = self.body(torch.tensor(i, dtype=torch.int64), torch.tensor(go), *state, *outer)
            go = bool(out[0].reshape(-1)[0])
            state = list(out[1:1 + self.carried])
            scans.append(out[1 + self.carried:])
            i += 1
        if scans and scans[0]:
            stacked = [torch.stack([s[k] for s in scans]) for k in range(len(scans[0]))]
        elif not scans and self.scan_count:
            raise ValueError("torch cannot run operator Loop: zero iterations leave the scan outputs' shapes unknown")
        else:
            stacked = []
        return tuple(state) + tuple(stacked)


@op("Loop")
def loop_op(b, node):
    body, outer = _body(b, node, "body")
    carried = len(node.inputs) - 2
    module = LoopModule(body, carried, len(node.outputs) - carried)
    out = b.call_module(module, b.input(node, 0), b.input(node, 1), *(b.input(node, i) for i in range(2, len(node.inputs))), *outer)
    return b.split(out, len(node.outputs))


class ScanModule(torch.nn.Module):
    def __init__(self, body, states, scans, in_axes, in_rev, out_axes, out_rev):
        super().__init__()
        self.body, self.states, self.scans = body, states, scans
        self.in_axes, self.in_rev, self.out_axes, self.out_rev = in_axes, in_rev, out_axes, out_rev

    def forward(self, *args):
        state = list(args[:self.states])
        seqs = args[self.states:self.states + self.scans]
        outer = args[self.states + self.scans:]
        steps = seqs[0].shape[self.in_axes[0] % seqs[0].dim()]
        outs = []
        for t in range(steps):
            slices = [s.select(a % s.dim(), steps - 1 - t if r else t) for s, a, r in zip(seqs, self.in_axes, self.in_rev)]
            out = self.body(*state, *slices, *outer)
            state = list(out[:self.states])
            outs.append(out[self.states:])
        stacked = []
        for k in range(len(outs[0]) if outs else 0):
            items = [o[k] for o in outs]
            if self.out_rev[k]:
                items.reverse()
            axis = self.out_axes[k] % (items[0].dim() + 1)
            stacked.append(torch.stack(items, axis))
        return tuple(state) + tuple(stacked)


class BatchedScanModule(torch.nn.Module):
    """Scan before opset 9: every input has a batch axis first and the scan axis second."""
    def __init__(self, scan):
        super().__init__()
        self.scan = scan

    def forward(self, seq_lens, *args):
        if seq_lens is not None and bool((seq_lens != args[self.scan.states].shape[1]).any()):
            raise ValueError("torch cannot run operator Scan (opset 8): sequence_lens shorter than the sequences")
        per_batch = [self.scan(*(a[n] for a in args)) for n in range(args[0].shape[0])]
        return tuple(torch.stack([r[k] for r in per_batch]) for k in range(len(per_batch[0])))


@op("Scan")
def scan_op(b, node):
    body, outer = _body(b, node, "body")
    scans = int(node.attrs["num_scan_inputs"])
    inputs = node.inputs[1:] if b.opset < 9 else node.inputs
    states = len(inputs) - scans
    outs = len(node.outputs) - states
    a = node.attrs
    if b.opset < 9:
        if outer:
            raise Unsupported("an opset-8 Scan body that reads outer values computed at run time")
        module = BatchedScanModule(ScanModule(body, states, scans, [0] * scans, [bool(d) for d in a.get("directions", [0] * scans)],
                                              [0] * outs, [False] * outs))
        out = b.call_module(module, b.input(node, 0), *(b.value(i) for i in inputs))
    else:
        module = ScanModule(body, states, scans, [int(v) for v in a.get("scan_input_axes", [0] * scans)],
                            [bool(v) for v in a.get("scan_input_directions", [0] * scans)],
                            [int(v) for v in a.get("scan_output_axes", [0] * outs)],
                            [bool(v) for v in a.get("scan_output_directions", [0] * outs)])
        out = b.call_module(module, *(b.value(i) for i in inputs), *outer)
    return b.split(out, len(node.outputs))
