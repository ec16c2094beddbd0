"""PyTorch as one runtime of the worker. The model comes as an ONNX graph sent inline (imported
into torch.fx by infermark_torch), a zoo network built natively, or a file the user named:
TorchScript, a torch.export program (.pt2) or a Python factory file. Tensors travel as torch
tensors (bfloat16 and the wide unsigned types included), not numpy arrays."""
import os
import shutil
import tempfile

import torch

from infermark_torch.model import compile_support, cuda_support, load_graph, load_native, load_torchscript, resolve_device
from infermark_torch.tensors import decode_tensor, encode_tensor  # noqa: F401  (the worker's codec for this runtime)
from infermark_torch.user_files import is_exported_archive, load_exported, load_factory

from .common import int_setting

SOURCES = ("onnx", "native", "torchscript", "exported", "factory")
_inductor_cache = None


def describe():
    cuda_ok, cuda_reason = cuda_support()
    compile_ok, compile_reason = compile_support()
    return {
        "torch": torch.__version__, "cuda": cuda_ok, "cudaReason": cuda_reason,
        "cudaDevice": torch.cuda.get_device_name(0) if cuda_ok else None,
        "compile": compile_ok, "compileReason": compile_reason,
        "threads": torch.get_num_threads(), "interopThreads": torch.get_num_interop_threads(),
    }


def _interop(wanted):
    if wanted <= 0 or wanted == torch.get_num_interop_threads():
        return
    try:
        torch.set_num_interop_threads(wanted)
    except RuntimeError:
        # torch allows this once, before any parallel work; the Node side keeps one worker per value.
        raise ValueError(f"setting interopThreads: this worker already runs with {torch.get_num_interop_threads()} "
                         f"inter-op threads and torch cannot change that after its first parallel work; "
                         f"start a fresh worker for interopThreads={wanted}") from None


def _cold_inductor_cache():
    """A private, empty inductor cache for this worker, so its first compile is cold whatever
    earlier processes left in the user's cache; the warm compile then reads what that one wrote."""
    global _inductor_cache
    if _inductor_cache is None and "TORCHINDUCTOR_CACHE_DIR" not in os.environ:
        _inductor_cache = tempfile.mkdtemp(prefix="infermark-inductor-")
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = _inductor_cache


def close():
    if _inductor_cache:
        shutil.rmtree(_inductor_cache, ignore_errors=True)


def load(model, settings, _cache_dir):
    source = model.get("source", "onnx")
    if source not in SOURCES:
        raise ValueError(f"model source {source!r} is not valid; allowed: {', '.join(SOURCES)}")
    mode = settings.get("mode", "eager")
    threads = int_setting(settings, "threads")
    _interop(int_setting(settings, "interopThreads"))
    if threads > 0:
        torch.set_num_threads(threads)
    device = resolve_device(settings.get("device", "cpu"))
    if mode == "compile":
        _cold_inductor_cache()
    path = model.get("path")
    if source == "onnx":
        loaded = load_graph(model["graph"], model.get("buffers", []), mode, device, threads)
    elif source == "native":
        loaded = load_native(model["zoo"], model["graph"], model.get("buffers", []), mode, device, threads)
    elif source == "factory":
        loaded = load_factory(path, mode, device, threads)
    elif source == "exported" or is_exported_archive(path):
        loaded = load_exported(path, mode, device, threads)
    else:
        loaded = load_torchscript(path, mode, device, threads)
    loaded.tf32 = bool(settings.get("tf32", False))
    loaded.extra = {"threads": torch.get_num_threads(), "interopThreads": torch.get_num_interop_threads()}
    return loaded
