"""The runtimes this worker can host, by infermark name, and the packages each needs.

A runtime module (imported only to load a model; availability and versions come from
the distributions' metadata) exposes:
  load(model, settings, cache_dir) -> a loaded model with input_names, output_names,
      call(feeds) -> outputs by name (numpy arrays), and optionally measure(feeds, rule)
      and extra (a dict of facts about the load: cache hit, converter, ...)
"""
import importlib
import importlib.metadata

RUNTIME_MODULES = {
    "ort-python": "ort_python",
    "openvino": "openvino_rt",
    "tvm": "tvm_rt",
    "tensorflow": "tensorflow_rt",
}

# Distribution names each runtime imports; their versions are the runtime's versions.
PACKAGES = {
    "ort-python": ["onnxruntime", "numpy"],
    "openvino": ["openvino", "numpy"],
    "tvm": ["apache-tvm", "onnx", "numpy"],
    "tensorflow": ["tensorflow-cpu", "onnx", "numpy"],
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
