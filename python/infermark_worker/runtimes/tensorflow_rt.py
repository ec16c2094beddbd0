"""TensorFlow 2 on the CPU. What runs (the `format` setting, auto by default):
- onnx: an ONNX model converted once by infermark's own mapping (onnx_to_tf.py) into a
  SavedModel cached by the model's content hash, so a later load is warm (only read back);
- native: a zoo network as its keras.applications model with the ONNX file's weights
  (keras_native.py), cached as a .keras file by the same key;
- a SavedModel folder or a .keras file the user brings runs as is (auto picks by the path).
The `xla` setting compiles the function with XLA (jit_compile); `precision` runs a Keras model
under a mixed-precision policy (float16 or bfloat16 compute, float32 weights and outputs)."""
import hashlib
import os
import shutil
import tempfile
import time

import tensorflow as tf

from .common import ArrayModel, cache_folder, int_setting

MAPPING_VERSION = "1"
# Bump when keras_native.py changes the model it builds: part of the native cache key.
NATIVE_VERSION = "1"
FORMATS = ("auto", "onnx", "native")
PRECISIONS = ("fp32", "mixed_float16", "mixed_bfloat16")


class TensorFlowModel(ArrayModel):
    def __init__(self, fn, input_names, output_names, extra, owner=None):
        self.fn = fn
        self.owner = owner  # what holds the function's variables (a loaded SavedModel): kept alive with it
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
    _publish(tmp, folder)


def _publish(tmp, final):
    """Move a finished cache entry into place; a concurrent writer's entry wins."""
    if os.path.exists(final):
        (shutil.rmtree if os.path.isdir(tmp) else os.remove)(tmp)
    else:
        os.replace(tmp, final)


def _read_io(folder):
    with open(os.path.join(folder, "io.txt")) as f:
        lines = f.read().split("\n")
    return lines[0].split("\t"), lines[1].split("\t")


def _cache_root(cache_dir):
    # Without a cache folder the conversion lives in a private temporary folder, never beside the model.
    return cache_folder(cache_dir, "tensorflow", "") or tempfile.mkdtemp(prefix="infermark-tensorflow-")


def _cache_key(model, *parts):
    text = "|".join([model.get("sha256") or model["path"], *parts, f"tf {tf.__version__}"])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _format(path, wanted):
    if wanted not in FORMATS:
        raise ValueError(f"tensorflow.format {wanted!r} is not valid; allowed: {', '.join(FORMATS)}")
    if wanted != "auto":
        if os.path.isdir(path) or path.endswith(".keras"):
            raise ValueError(f"tensorflow.format {wanted}: {path} is a SavedModel or a .keras file; give format auto")
        return wanted
    if os.path.isdir(path):
        return "savedmodel"
    return "keras" if path.endswith(".keras") else "onnx"


def _with_policy(keras_model, precision):
    """The same Keras model rebuilt under a mixed-precision policy, with its float32 weights."""
    import keras
    if precision == "fp32":
        return keras_model
    config = keras_model.get_config()
    for layer in config.get("layers", []):
        if layer.get("class_name") != "InputLayer":
            layer["config"]["dtype"] = {"module": "keras", "class_name": "DTypePolicy", "registered_name": None,
                                        "config": {"name": precision}}
    rebuilt = keras_model.__class__.from_config(config)
    rebuilt.set_weights(keras_model.get_weights())
    return rebuilt


def _keras_infer(keras_model):
    """A function of positional tensors returning a list of float32 (or integer) outputs."""
    def infer(*args):
        out = keras_model(list(args) if len(args) > 1 else args[0], training=False)
        if isinstance(out, dict):
            out = [out[k] for k in sorted(out)]
        elif not isinstance(out, (list, tuple)):
            out = [out]
        return [tf.cast(o, tf.float32) if o.dtype in (tf.float16, tf.bfloat16) else o for o in out]
    return infer


def _keras_names(keras_model):
    ins = [getattr(t, "name", f"input_{i}").split(":")[0] for i, t in enumerate(keras_model.inputs)]
    outs = list(getattr(keras_model, "output_names", None) or [f"output_{i}" for i in range(len(keras_model.outputs))])
    return ins, outs


def _native(model, precision, cache_dir, extra):
    """The zoo network as a keras.applications model, built once per model and precision, then cached."""
    import keras
    import onnx
    from . import keras_native
    folder = os.path.join(_cache_root(cache_dir), "native")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, _cache_key(model, f"native {NATIVE_VERSION}", precision, f"keras {keras.__version__}") + ".keras")
    proto = onnx.load(model["path"], load_external_data=False)
    zoo = keras_native.zoo_name(proto)
    extra["converter"] = f"keras.applications.{keras_native.APPLICATIONS.get(zoo, zoo)} with the zoo's weights"
    if os.path.exists(path):
        extra["loadKind"] = "warm"
        net = keras.models.load_model(path, compile=False)
        return net, [proto.graph.input[0].name], [proto.graph.output[0].name]
    t0 = time.perf_counter()
    net, ins, outs, _ = keras_native.build(onnx.load(model["path"]), precision)
    extra["convertMs"] = (time.perf_counter() - t0) * 1e3
    extra["loadKind"] = "cold"
    tmp = f"{path}.{os.getpid()}.tmp.keras"
    net.save(tmp)
    _publish(tmp, path)
    return net, ins, outs


def load(model, settings, cache_dir):
    intra, inter = int_setting(settings, "intraOpThreads"), int_setting(settings, "interOpThreads")
    if intra > 0:
        tf.config.threading.set_intra_op_parallelism_threads(intra)
    if inter > 0:
        tf.config.threading.set_inter_op_parallelism_threads(inter)
    xla = settings.get("xla", "off")
    if xla not in ("on", "off"):
        raise ValueError(f"tensorflow.xla {xla!r} is not valid; allowed: on, off")
    precision = settings.get("precision", "fp32")
    if precision not in PRECISIONS:
        raise ValueError(f"tensorflow.precision {precision!r} is not valid; allowed: {', '.join(PRECISIONS)}")
    path = model["path"]
    fmt = _format(path, settings.get("format", "auto"))
    extra = {"xla": xla, "format": fmt, "precision": precision}
    owner = None
    if precision != "fp32" and fmt in ("onnx", "savedmodel"):
        raise ValueError(f"tensorflow.precision {precision} applies to Keras models (format native, or a .keras file); "
                         f"a {'converted ONNX model' if fmt == 'onnx' else 'SavedModel'} runs in its own precision: use precision fp32")
    if fmt == "native":
        net, in_names, out_names = _native(model, precision, cache_dir, extra)
        infer = _keras_infer(net)
    elif fmt == "keras":
        import keras
        net = _with_policy(keras.models.load_model(path, compile=False), precision)
        in_names, out_names = _keras_names(net)
        infer = _keras_infer(net)
    elif fmt == "savedmodel":
        owner = tf.saved_model.load(path)
        sig = owner.signatures["serving_default"]
        in_names = sorted(sig.structured_input_signature[1])  # the signature's keyword names
        out_names = sorted(sig.structured_outputs)
        infer = lambda *args: [v for _, v in sorted(sig(**dict(zip(in_names, args))).items())]
    else:
        folder = os.path.join(_cache_root(cache_dir), _cache_key(model, f"mapping {MAPPING_VERSION}"))
        if os.path.exists(os.path.join(folder, "io.txt")):
            extra["loadKind"] = "warm"
        else:
            t0 = time.perf_counter()
            _convert(path, folder)
            extra["convertMs"] = (time.perf_counter() - t0) * 1e3
            extra["loadKind"] = "cold"
        extra["converter"] = f"infermark onnx_to_tf {MAPPING_VERSION}"
        in_names, out_names = _read_io(folder)
        owner = tf.saved_model.load(folder)
        infer = owner.infer
    fn = tf.function(infer, jit_compile=(xla == "on"))
    return TensorFlowModel(fn, in_names, out_names, extra, owner)
