"""RNN, LSTM and GRU as ONNX defines them (gate orders, directions, layouts,
sequence lengths, clip, peepholes, linear_before_reset, named activations),
unrolled over time with torch ops."""
import torch

from .registry import Unsupported, op

ACTIVATIONS = {"Tanh": torch.tanh, "Sigmoid": torch.sigmoid, "Relu": torch.relu}
DEFAULTS = {"RNN": ["Tanh"], "LSTM": ["Sigmoid", "Tanh", "Tanh"], "GRU": ["Sigmoid", "Tanh"]}
GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def _step_rnn(x_t, h, c, w, r, wb, rb, p, fns, clip, lbr):
    return fns[0](_clip(x_t @ w.t() + wb + h @ r.t() + rb, clip)), c


def _step_lstm(x_t, h, c, w, r, wb, rb, p, fns, clip, lbr):
    gates = x_t @ w.t() + wb + h @ r.t() + rb
    i, o, f, g = gates.chunk(4, dim=1)
    pi, po, pf = (p.chunk(3) if p is not None else (0, 0, 0))
    i = fns[0](_clip(i + pi * c, clip))
    f = fns[0](_clip(f + pf * c, clip))
    g = fns[1](_clip(g, clip))
    c = f * c + i * g
    o = fns[0](_clip(o + po * c, clip))
    return o * fns[2](c), c


def _step_gru(x_t, h, c, w, r, wb, rb, p, fns, clip, lbr):
    xz, xr, xh = (x_t @ w.t() + wb).chunk(3, dim=1)
    rz, rr, rh = r.chunk(3, dim=0)
    bz, br, bh = rb.chunk(3)
    z = fns[0](_clip(xz + h @ rz.t() + bz, clip))
    rt = fns[0](_clip(xr + h @ rr.t() + br, clip))
    cand = xh + (rt * (h @ rh.t() + bh) if lbr else (rt * h) @ rh.t() + bh)
    hh = fns[1](_clip(cand, clip))
    return (1 - z) * hh + z * h, c


STEPS = {"RNN": _step_rnn, "LSTM": _step_lstm, "GRU": _step_gru}


def _clip(v, clip):
    return v if clip is None else v.clamp(-clip, clip)


def recurrent(kind, x, w, r, b, seq_lens, h0, c0, p, opts):
    if opts["layout"]:
        x = x.transpose(0, 1)
    steps, batch = x.shape[0], x.shape[1]
    dirs, hidden = w.shape[0], opts["hidden"]
    gates = GATES[kind]
    lens = seq_lens.to(torch.int64) if seq_lens is not None else torch.full((batch,), steps, dtype=torch.int64)
    ys, hs, cs = [], [], []
    for d in range(dirs):
        reverse = opts["direction"] == "reverse" or d == 1
        fns = [ACTIVATIONS[n] for n in opts["activations"][d]]
        wb, rb = (b[d].chunk(2) if b is not None else (torch.zeros(gates * hidden, dtype=x.dtype),) * 2)
        h = h0[d] if h0 is not None else torch.zeros(batch, hidden, dtype=x.dtype)
        c = c0[d] if c0 is not None else torch.zeros(batch, hidden, dtype=x.dtype)
        out = torch.zeros(steps, batch, hidden, dtype=x.dtype)
        for t in range(steps):
            # Each sequence runs over its own length; a reversed one starts at its last valid step.
            idx = (lens - 1 - t).clamp(min=0) if reverse else torch.full((batch,), t, dtype=torch.int64)
            live = (t < lens).unsqueeze(1)
            x_t = x[idx, torch.arange(batch)]
            h_new, c_new = STEPS[kind](x_t, h, c, w[d], r[d], wb, rb, p[d] if p is not None else None, fns,
                                       opts["clip"], opts["lbr"])
            h, c = torch.where(live, h_new, h), torch.where(live, c_new, c)
            out[idx, torch.arange(batch)] = torch.where(live, h_new, out[idx, torch.arange(batch)])
        ys.append(out)
        hs.append(h)
        cs.append(c)
    y = torch.stack(ys, dim=1)
    y_h, y_c = torch.stack(hs), torch.stack(cs)
    if opts["layout"]:
        y, y_h, y_c = y.permute(2, 0, 1, 3), y_h.transpose(0, 1), y_c.transpose(0, 1)
    return y, y_h, y_c


def _converter(kind):
    def convert(b, node):
        a = node.attrs
        direction = a.get("direction", "forward")
        dirs = 2 if direction == "bidirectional" else 1
        names = list(a.get("activations", [])) or DEFAULTS[kind] * dirs
        if any(n not in ACTIVATIONS for n in names) or a.get("activation_alpha") or a.get("activation_beta"):
            raise Unsupported(f"activations {names}")
        if int(a.get("input_forget", 0)):
            raise Unsupported("input_forget=1")
        per = len(DEFAULTS[kind])
        # Names, not functions: the generated code carries only printable constants.
        fns = [names[d * per:(d + 1) * per] for d in range(dirs)]
        clip = a.get("clip")
        opts = {"layout": int(a.get("layout", 0)), "hidden": int(a["hidden_size"]), "direction": direction, "activations": fns,
                "clip": None if clip is None else float(clip), "lbr": bool(a.get("linear_before_reset", 0))}
        ins = [b.input(node, i) if len(node.inputs) > i else None for i in range(8)]
        if kind != "LSTM":
            ins = ins[:6] + [None, None]
        x, w, r, bias, lens, h0, c0, p = ins
        out = b.split(b.call(recurrent, kind, x, w, r, bias, lens, h0, c0, p, opts), 3)
        return out[:len(node.outputs)] if kind == "LSTM" else out[:2]
    return convert


for _kind in STEPS:
    op(_kind)(_converter(_kind))
