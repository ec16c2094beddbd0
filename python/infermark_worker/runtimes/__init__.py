"""The runtimes this worker can host, by infermark name, and the packages each needs.

A runtime module (imported only to load a model; availability and versions come from
the distributions' metadata) exposes:
  load(model, settings, cache_dir) -> a loaded model with input_names, output_names,
      call(feeds) -> outputs by name (numpy arrays), and optionally measure(feeds, rule)
      and extra (a dict of facts about the load: cache hit, converter, ...)
  model is the request's object: {path, sha256} for a file, or a graph sent inline
  (then its buffers come as model["buffers"]).
and optionally:
  describe() -> facts for the info reply (only for runtimes in DESCRIBED: it imports the library)
  decode_tensor(spec, buffers) / encode_tensor(value, buffers): the runtime's own tensor type
      on the wire instead of numpy arrays
  close(): called when the worker ends normally
"""
import importlib
import importlib.metadata

RUNTIME_MODULES = {
    "ort-python": "ort_python",
    "openvino": "openvino_rt",
    "tvm": "tvm_rt",
    "tensorflow": "tensorflow_rt",
    "torch": "torch_rt",
}

# Runtimes whose info reply imports the library: torch's CUDA and compile support can only be
# asked of torch itself, and its worker imports torch for the first load anyway.
DESCRIBED = {"torch"}

# Distribution names each runtime imports; their versions are the runtime's versions.
PACKAGES = {
    "ort-python": ["onnxruntime", "numpy"],
    "openvino": ["openvino", "numpy"],
    "tvm": ["apache-tvm", "onnx", "numpy"],
    "tensorflow": ["tensorflow-cpu", "onnx", "numpy"],
    "torch": ["torch", "numpy"],
}

SETUP_COMMAND = "bash scripts/setup-python.sh"


class MissingPackage(Exception):
    """A package the runtime needs is not installed in this python."""


def versions(name):
    """{distribution: version} for the runtime's packages; raises MissingPackage naming the first absent one."""
    out = {}
    for dist in PACKAGES[name]:
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            raise MissingPackage(dist) from None
    return out


def module(name):
    return importlib.import_module(f"{__name__}.{RUNTIME_MODULES[name]}")
