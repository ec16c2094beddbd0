"""Signal operators: window functions, DFT, STFT, MelWeightMatrix. Complex
values travel as a trailing axis of two reals, as in ONNX."""
import math

import torch

from .elementwise import ELEM_DTYPES
from .registry import Unsupported, op

WINDOWS = {
    "HannWindow": lambda n, N: 0.5 - 0.5 * torch.cos(2 * math.pi * n / N),
    "HammingWindow": lambda n, N: 25 / 46 - 21 / 46 * torch.cos(2 * math.pi * n / N),
    "BlackmanWindow": lambda n, N: 0.42 - 0.5 * torch.cos(2 * math.pi * n / N) + 0.08 * torch.cos(4 * math.pi * n / N),
}


def _dtype(node):
    code = int(node.attrs.get("output_datatype", 1))
    if code not in ELEM_DTYPES:
        raise Unsupported(f"output_datatype {code}")
    return ELEM_DTYPES[code]


def window(size, kind, periodic, dtype):
    n = int(size.reshape(-1)[0])
    steps = torch.arange(n, dtype=torch.float64)
    return WINDOWS[kind](steps, n if periodic else n - 1).to(dtype)


for _kind in WINDOWS:
    op(_kind)((lambda kind: lambda b, node: b.call(window, b.input(node, 0), kind, bool(node.attrs.get("periodic", 1)),
                                                   _dtype(node)))(_kind))


def _complex(x):
    return torch.view_as_complex(x.to(torch.float64).contiguous()) if x.shape[-1] == 2 else x[..., 0].to(torch.float64)


def dft(x, length, axis, inverse, onesided):
    signal = _complex(x)
    axis = axis % x.dim()
    if axis == x.dim() - 1:
        raise ValueError("DFT axis must not be the last (real/imaginary) axis")
    n = int(length.reshape(-1)[0]) if length is not None else signal.shape[axis]
    out = torch.fft.ifft(signal, n, axis) if inverse else torch.fft.fft(signal, n, axis)
    if onesided:
        out = out.narrow(axis, 0, n // 2 + 1)
    return torch.view_as_real(out).to(x.dtype)


@op("DFT")
def dft_op(b, node):
    if b.opset >= 20:
        known = b.const_ints(node.inputs[2]) if len(node.inputs) > 2 and node.inputs[2] else [-2]
        if known is None:
            raise Unsupported("an axis computed at run time")
        axis = known[0]
    else:
        axis = int(node.attrs.get("axis", 1))
    length = b.input(node, 1) if len(node.inputs) > 1 else None
    return b.call(dft, b.input(node, 0), length, axis, bool(node.attrs.get("inverse", 0)), bool(node.attrs.get("onesided", 0)))


def stft(x, step, win, frame_length, onesided):
    signal = _complex(x)
    step = int(step.reshape(-1)[0])
    length = int(frame_length.reshape(-1)[0]) if frame_length is not None else int(win.shape[0])
    frames = signal.unfold(1, length, step)  # [batch, frames, length]
    if win is not None:
        frames = frames * win.to(torch.float64)
    out = torch.fft.fft(frames, dim=-1)
    if onesided:
        out = out[..., :length // 2 + 1]
    return torch.view_as_real(out).to(x.dtype)


@op("STFT")
def stft_op(b, node):
    ins = [b.input(node, i) if len(node.inputs) > i else None for i in range(4)]
    return b.call(stft, *ins, bool(node.attrs.get("onesided", 1)))


def mel_weight_matrix(bins, dft_length, rate, low_hz, high_hz, dtype):
    bins, dft_length, rate = int(bins.reshape(-1)[0]), int(dft_length.reshape(-1)[0]), int(rate.reshape(-1)[0])
    # The band edges are computed in the edge frequencies' own precision, as ONNX's reference does.
    work = low_hz.dtype if low_hz.is_floating_point() else torch.float32
    to_mel = lambda hz: 2595 * torch.log10(1 + hz.reshape(()).to(work) / 700)
    low, high = to_mel(low_hz), to_mel(high_hz)
    step = (high - low) / (bins + 2)  # ONNX divides the mel range by the number of edge points
    hz = 700 * (torch.pow(torch.tensor(10.0, dtype=work), (torch.arange(bins + 2, dtype=work) * step + low) / 2595) - 1)
    edges = [int(v) for v in torch.floor((dft_length + 1) * hz / rate).tolist()]
    out = torch.zeros(dft_length // 2 + 1, bins, dtype=torch.float64)
    for i in range(bins):
        lower, center, higher = edges[i], edges[i + 1], edges[i + 2]
        if center == lower:
            out[center, i] = 1
        else:
            for j in range(lower, center + 1):
                out[j, i] = (j - lower) / (center - lower)
        for j in range(center, higher):
            out[j, i] = (higher - j) / (higher - center)
    return out.to(dtype)


@op("MelWeightMatrix")
def mel_op(b, node):
    return b.call(mel_weight_matrix, *(b.input(node, i) for i in range(5)), _dtype(node))
