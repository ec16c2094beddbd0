"""Apache TVM: the ONNX model imported into Relax and compiled for this CPU (llvm target).
Compiling is the load; the compiled library is cached by model hash, target and options,
so a later load of the same model is warm (the library is only read)."""
import hashlib
import os
import time

import numpy as np
import onnx
import tvm
from tvm import relax
from tvm.relax.frontend.onnx import from_onnx

from .common import ArrayModel, cache_folder

TARGETS = ("llvm", "llvm-native")



def _target(name):
    if name == "llvm-native":
        return tvm.target.Target("llvm -mcpu=" + tvm.target.codegen.llvm_get_system_cpu())
    return tvm.target.Target("llvm")


def _to_device(a, device):
    make = getattr(tvm.runtime, "tensor", None) or tvm.nd.array
    return make(a, device)


class TvmModel(ArrayModel):
    def __init__(self, lib, input_names, output_names, extra):
        self.device = tvm.cpu()
        self.vm = relax.VirtualMachine(lib, self.device)
        self.main = self.vm["main"]
        self.input_names = input_names
        self.output_names = output_names
        self.extra = extra

    def prepare(self, feeds):
        return [_to_device(feeds[n], self.device) for n in self.input_names]

    def call(self, args):
        return self.main(*args)

    def outputs(self, out):
        items = list(out) if not hasattr(out, "numpy") else [out]
        return {name: np.asarray(t.numpy()) for name, t in zip(self.output_names, items)}


def _compile(path, target):
    model = onnx.load(path)
    mod = from_onnx(model, keep_params_in_input=False)
    mod = relax.transform.DecomposeOpsForInference()(mod)
    compile_fn = getattr(tvm, "compile", None) or relax.build
    return compile_fn(mod, target=target)


def load(model, settings, cache_dir):
    target_name = settings.get("target", "llvm")
    if target_name not in TARGETS:
        raise ValueError(f"tvm.target {target_name!r} is not valid; allowed: {', '.join(TARGETS)}")
    if settings.get("tuning", "off") != "off":
        raise ValueError("tvm.tuning: only off is supported by this worker; the compiled library is untuned (TVM's default schedules)")
    target = _target(target_name)
    proto = onnx.load(model["path"], load_external_data=False)
    inits = {i.name for i in proto.graph.initializer}
    input_names = [i.name for i in proto.graph.input if i.name not in inits]
    output_names = [o.name for o in proto.graph.output]
    key_src = f"{model.get('sha256') or model['path']}|{target}|tvm {tvm.__version__}"
    key = hashlib.sha256(key_src.encode()).hexdigest()[:24]
    folder = cache_folder(cache_dir, "tvm", key)
    lib_path = os.path.join(folder, "model.so") if folder else None
    extra = {"target": str(target)}
    if lib_path and os.path.exists(lib_path):
        lib = tvm.runtime.load_module(lib_path)
        extra["loadKind"] = "warm"
    else:
        t0 = time.perf_counter()
        executable = _compile(model["path"], target)
        extra["compileMs"] = (time.perf_counter() - t0) * 1e3
        extra["loadKind"] = "cold"
        if lib_path:
            tmp = lib_path + f".{os.getpid()}.tmp.so"
            executable.export_library(tmp)
            os.replace(tmp, lib_path)  # atomic: a concurrent reader never sees half a library
            lib = tvm.runtime.load_module(lib_path)
        else:
            lib = executable
    extra["cachePath"] = lib_path
    return TvmModel(lib, input_names, output_names, extra)
