"""TensorFlow 2 on the CPU. An ONNX model is converted once by infermark's own mapping
(onnx_to_tf.py) into a SavedModel cached by the model's content hash, so a later load is
warm (only read back); a SavedModel folder the user brings runs as is. The `xla` setting
compiles the function with XLA (jit_compile)."""
import hashlib
import os
import shutil
import tempfile
import time

import tensorflow as tf

from .common import ArrayModel, cache_folder, int_setting

MAPPING_VERSION = "1"



class TensorFlowModel(ArrayModel):
    def __init__(self, fn, input_names, output_names, extra):
        self.fn = fn
        self.input_names = input_names
        self.output_names = output_names
        self.extra = extra

    def prepare(self, feeds):
        return [tf.constant(feeds[n]) for n in self.input_names]

    def call(self, args):
        out = self.fn(*args)
        # Asking for the values waits until they exist; without it a call could return early.
        return [o.numpy() for o in out]


def _convert(path, folder):
    import onnx
    from .onnx_to_tf import input_specs, to_function
    graph = onnx.load(path).graph
    fn, in_names, out_names = to_function(graph)
    module = tf.Module()
    module.infer = tf.function(fn, input_signature=input_specs(graph))
    module.infer.get_concrete_function()  # traces: an unmapped operator fails here, before anything is written
    tmp = folder + f".{os.getpid()}.tmp"
    tf.saved_model.save(module, tmp)
    with open(os.path.join(tmp, "io.txt"), "w") as f:
        f.write("\t".join(in_names) + "\n" + "\t".join(out_names) + "\n")
    if os.path.exists(folder):
        shutil.rmtree(tmp, ignore_errors=True)  # another process converted the same model meanwhile
    else:
        os.replace(tmp, folder)


def _read_io(folder):
    with open(os.path.join(folder, "io.txt")) as f:
        lines = f.read().split("\n")
    return lines[0].split("\t"), lines[1].split("\t")


def load(model, settings, cache_dir):
    intra, inter = int_setting(settings, "intraOpThreads"), int_setting(settings, "interOpThreads")
    if intra > 0:
        tf.config.threading.set_intra_op_parallelism_threads(intra)
    if inter > 0:
        tf.config.threading.set_inter_op_parallelism_threads(inter)
    xla = settings.get("xla", "off")
    if xla not in ("on", "off"):
        raise ValueError(f"tensorflow.xla {xla!r} is not valid; allowed: on, off")
    path = model["path"]
    extra = {"xla": xla}
    if os.path.isdir(path):
        folder = path
        extra["format"] = "savedmodel"
    else:
        key = hashlib.sha256(f"{model.get('sha256') or path}|mapping {MAPPING_VERSION}|tf {tf.__version__}".encode()).hexdigest()[:24]
        # Without a cache folder the conversion lives in a private temporary folder, never beside the model.
        root = cache_folder(cache_dir, "tensorflow", "") or tempfile.mkdtemp(prefix="infermark-tensorflow-")
        folder = os.path.join(root, key)
        if os.path.exists(os.path.join(folder, "io.txt")):
            extra["loadKind"] = "warm"
        else:
            t0 = time.perf_counter()
            _convert(path, folder)
            extra["convertMs"] = (time.perf_counter() - t0) * 1e3
            extra["loadKind"] = "cold"
        extra["converter"] = f"infermark onnx_to_tf {MAPPING_VERSION}"
    loaded = tf.saved_model.load(folder)
    if os.path.exists(os.path.join(folder, "io.txt")):
        in_names, out_names = _read_io(folder)
        infer = loaded.infer
    else:
        infer = loaded.signatures["serving_default"]
        in_names = [t.name.split(":")[0] for t in infer.inputs if t.dtype != tf.resource]
        out_names = list(infer.structured_outputs)
        sig = infer
        infer = lambda *args: [v for _, v in sorted(sig(**dict(zip(in_names, args))).items())]
        out_names = sorted(out_names)
    fn = tf.function(infer, jit_compile=(xla == "on"))
    return TensorFlowModel(fn, in_names, out_names, extra)
