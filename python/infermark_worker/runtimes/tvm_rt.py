"""Apache TVM: the ONNX model imported into Relax and compiled for this CPU (llvm target).
Compiling is the load; the compiled library is cached by model hash, target and options,
so a later load of the same model is warm (the library is only read).

tuning=meta-schedule searches schedules with MetaSchedule for the trial's input shapes
(tuning needs static shapes, so the batch is fixed and part of the key), at most
`tuningTrials` measured candidates in all. The tuning records are cached by model hash,
target, TVM version, shapes and budget; a later load with the same key compiles from the
records without searching. The search time is reported apart from the load (tuningMs)."""
import hashlib
import json
import os
import sys
import tempfile
import time

import numpy as np
import onnx
import tvm
from tvm import relax
from tvm.relax.frontend.onnx import from_onnx

from .common import ArrayModel, cache_folder

TARGETS = ("llvm", "llvm-native")
TUNINGS = ("off", "meta-schedule")



def _target(name, tuning):
    spec = {"kind": "llvm"}
    if name == "llvm-native":
        spec["mcpu"] = tvm.target.codegen.llvm_get_system_cpu()
    if tuning != "off":
        # MetaSchedule sizes its CPU search by the target's core count.
        spec["num-cores"] = len(os.sched_getaffinity(0))
    return tvm.target.Target(spec)


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


def _compile(path, target, shapes=None, tuning_dir=None, trials=0, extra=None):
    """The compiled executable; with tuning_dir, schedules from MetaSchedule records there,
    searched first (at most `trials` candidates) unless the records already exist."""
    model = onnx.load(path)
    mod = from_onnx(model, shape_dict=shapes, keep_params_in_input=False) if shapes else from_onnx(model, keep_params_in_input=False)
    mod = relax.transform.DecomposeOpsForInference()(mod)
    if tuning_dir is None:
        compile_fn = getattr(tvm, "compile", None) or relax.build
        return compile_fn(mod, target=target)
    from tvm.s_tir import meta_schedule as ms
    with target:
        mod = relax.get_pipeline("zero")(mod)  # legalized and fused: the TIR functions are the tuning tasks
    done = os.path.join(tuning_dir, "done")
    search = 0 if os.path.exists(done) else trials
    if search:
        t0 = time.perf_counter()
        # replay-trace: candidates sampled from each task's design space and measured on this CPU,
        # round-robin over the tasks until the budget is spent. The evolutionary search (the
        # default) wants xgboost's cost model and thousands of candidates per round, far beyond
        # a budget of tens of trials on a small CPU.
        import cloudpickle  # pylint: disable=import-outside-toplevel

        # The builder's processes cannot import this package: the build function travels by value.
        cloudpickle.register_pickle_by_value(sys.modules[__name__])
        builder = ms.builder.LocalBuilder(f_build=_build_candidate, max_workers=max(1, len(os.sched_getaffinity(0))))
        ms.relax_integration.tune_relax(mod, params={}, target=target, work_dir=tuning_dir, max_trials_global=search,
                                        num_trials_per_iter=min(search, 8), cost_model="random", strategy="replay-trace",
                                        task_scheduler="round-robin", seed=0, builder=builder)
        extra["tuningMs"] = (time.perf_counter() - t0) * 1e3
        with open(done, "w") as f:
            f.write(f"{search}\n")
    extra["tuningTrials"] = _records(tuning_dir) if search else 0
    extra["tuningCache"] = "miss" if search else "hit"
    database = ms.database.JSONDatabase(work_dir=tuning_dir)
    return ms.relax_integration.compile_relax(database, mod, target, params=None)


def _build_candidate(mod, target, _params):
    """MetaSchedule's default build without its first step, importing tvm.s_tir.tensor_intrin:
    that import parses every target's tensor intrinsics (about 50 s here) in each fresh builder
    process, the builder's processes are new for every batch of candidates, and its 30 s limit
    then fails every build. The llvm CPU targets' FP32 schedules use none of those intrinsics."""
    from tvm.driver import build  # pylint: disable=import-outside-toplevel
    from tvm.s_tir.transform import RemoveWeightLayoutRewriteBlock  # pylint: disable=import-outside-toplevel

    mod = RemoveWeightLayoutRewriteBlock(skip_tensor_rewrite=True)(mod)
    return build(mod, target=target)


def _records(work_dir):
    """Candidates MetaSchedule built and timed on this CPU; a failed build or run is recorded
    too, with MetaSchedule's failure time (1e10 s), and is not counted."""
    path = os.path.join(work_dir, "database_tuning_record.json")
    if not os.path.exists(path):
        return 0
    timed = 0
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            run_secs = json.loads(line)[1][1]
            if run_secs and all(0 < s < 1e9 for s in run_secs):
                timed += 1
    return timed


def load(model, settings, cache_dir):
    target_name = settings.get("target", "llvm")
    if target_name not in TARGETS:
        raise ValueError(f"tvm.target {target_name!r} is not valid; allowed: {', '.join(TARGETS)}")
    tuning = settings.get("tuning", "off")
    if tuning not in TUNINGS:
        raise ValueError(f"tvm.tuning {tuning!r} is not valid; allowed: {', '.join(TUNINGS)}")
    trials = int(settings.get("tuningTrials", 64) or 0)
    if trials < 1:
        raise ValueError(f"tvm.tuningTrials {trials} is not valid; allowed: integers >= 1")
    shapes = model.get("inputShapes")
    if tuning != "off" and not shapes:
        raise ValueError("tvm.tuning meta-schedule needs the trial's input shapes, which this load request did not carry")
    target = _target(target_name, tuning)
    proto = onnx.load(model["path"], load_external_data=False)
    inits = {i.name for i in proto.graph.initializer}
    input_names = [i.name for i in proto.graph.input if i.name not in inits]
    output_names = [o.name for o in proto.graph.output]
    key_src = f"{model.get('sha256') or model['path']}|{target}|tvm {tvm.__version__}"
    if tuning != "off":
        shape_text = ";".join(f"{k}={'x'.join(map(str, v))}" for k, v in sorted(shapes.items()))
        key_src += f"|{tuning} {trials} trials|{shape_text}"
    key = hashlib.sha256(key_src.encode()).hexdigest()[:24]
    folder = cache_folder(cache_dir, "tvm", key)
    lib_path = os.path.join(folder, "model.so") if folder else None
    extra = {"target": str(target), "converter": f"tvm {tvm.__version__} relax" + (f", {tuning} tuning" if tuning != "off" else "")}
    tuning_dir = None
    if tuning != "off":
        # Records live beside the library, or in a private temporary folder when no cache was given.
        tuning_dir = os.path.join(folder, "tuning") if folder else tempfile.mkdtemp(prefix="infermark-tvm-tuning-")
        os.makedirs(tuning_dir, exist_ok=True)
    if lib_path and os.path.exists(lib_path):
        lib = tvm.runtime.load_module(lib_path)
        extra["loadKind"] = "warm"
        if tuning != "off":
            extra["tuningTrials"] = 0
    else:
        t0 = time.perf_counter()
        executable = _compile(model["path"], target, shapes if tuning != "off" else None, tuning_dir, trials, extra)
        extra["compileMs"] = (time.perf_counter() - t0) * 1e3 - extra.get("tuningMs", 0)
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
