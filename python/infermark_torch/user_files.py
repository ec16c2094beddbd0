"""PyTorch models users bring in torch's own forms: a torch.export program saved with
torch.export.save (.pt2), and a Python factory file. Only the file the user named is read:
a factory file is run from its path alone (its folder is not put on sys.path)."""
import importlib.util
import itertools
import os
import zipfile

import torch

from .model import check_mode, module_model
from .tensors import DTYPE_NAMES, TORCH_DTYPES

FACTORY_HELP = ("a factory file defines build() returning a torch.nn.Module and INPUTS, a list of "
                "{'name': str, 'dtype': str, 'shape': [int or str]} (a str names a dimension, e.g. 'batch')")
_factory_ids = itertools.count()


def is_exported_archive(path):
    """torch.export.save writes a zip with an archive_format entry; TorchScript archives have none."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as z:
        return any(n == "archive_format" or n.endswith("/archive_format") for n in z.namelist())


def load_exported(path, mode, device, threads=0):
    if not is_exported_archive(path):
        raise ValueError(f"{path} is not a torch.export program (a .pt2 file written by torch.export.save)")
    check_mode(mode)
    if mode == "torchscript":
        raise ValueError("mode torchscript does not apply to a torch.export program; use mode eager or compile")
    try:
        program = torch.export.load(path)
    except Exception as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ValueError(f"{path} could not be read by torch.export.load (torch {torch.__version__}): {first}; "
                         f"save it with torch.export.save from this torch version") from None
    names = list(program.graph_signature.user_inputs)
    placeholders = {n.name: n for n in program.graph.nodes if n.op == "placeholder"}
    specs = [_spec(name, placeholders[name].meta.get("val")) for name in names]
    model = module_model(program.module(), names, [], device, mode, threads)
    model.input_specs = specs
    return model


def _spec(name, value):
    """An input's {name, dtype, shape} from its example value; a symbolic dimension is named
    'batch' on axis 0 (where torch.export.Dim("batch") usually sits) and by its symbol elsewhere."""
    if not isinstance(value, torch.Tensor):
        raise ValueError(f"input {name} of the program is not a tensor ({type(value).__name__}); only tensor inputs can be fed")
    if value.dtype not in DTYPE_NAMES:
        raise ValueError(f"input {name} has dtype {value.dtype}, which infermark cannot feed; supported: {', '.join(TORCH_DTYPES)}")
    shape = [d if isinstance(d, int) else ("batch" if i == 0 else str(d)) for i, d in enumerate(value.shape)]
    return {"name": name, "dtype": DTYPE_NAMES[value.dtype], "shape": shape}


def load_factory(path, mode, device, threads=0):
    if not path.endswith(".py") or not os.path.isfile(path):
        raise ValueError(f"{path} is not a Python factory file (a .py file); {FACTORY_HELP}")
    check_mode(mode)
    spec = importlib.util.spec_from_file_location(f"infermark_user_model_{next(_factory_ids)}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as err:
        raise ValueError(f"{path}: running the factory file failed: {type(err).__name__}: {err}") from None
    build = getattr(module, "build", None)
    if not callable(build):
        raise ValueError(f"{path} defines no build() function; {FACTORY_HELP}")
    specs = _factory_inputs(path, getattr(module, "INPUTS", None))
    net = build()
    if not isinstance(net, torch.nn.Module):
        raise ValueError(f"{path}: build() returned {type(net).__name__}, not a torch.nn.Module")
    net.eval()
    model = module_model(net, [s["name"] for s in specs], list(getattr(module, "OUTPUTS", [])), device, mode, threads)
    model.input_specs = specs
    return model


def _factory_inputs(path, inputs):
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError(f"{path} defines no INPUTS list; {FACTORY_HELP}")
    specs = []
    for i, item in enumerate(inputs):
        ok = isinstance(item, dict) and isinstance(item.get("name"), str) and item.get("dtype") in TORCH_DTYPES \
            and isinstance(item.get("shape"), (list, tuple)) and all(isinstance(d, (int, str)) for d in item["shape"])
        if not ok:
            raise ValueError(f"{path}: INPUTS[{i}] is {item!r}; {FACTORY_HELP}; dtypes: {', '.join(TORCH_DTYPES)}")
        specs.append({"name": item["name"], "dtype": item["dtype"], "shape": list(item["shape"])})
    return specs

