"""A loaded model ready to run: an imported ONNX graph in one of the modes
(eager, torchscript, compile) or a TorchScript file, on one device."""
import contextlib
import warnings
import zipfile

import torch

from .importer import import_graph

MODES = ("eager", "torchscript", "compile")


def compile_support():
    """(available, reason) for torch.compile in this torch."""
    if not hasattr(torch, "compile"):
        return False, f"torch {torch.__version__} has no torch.compile (it needs torch >= 2.0); use mode eager or torchscript"
    return True, None


def cuda_support():
    if not torch.cuda.is_available():
        built = torch.version.cuda
        why = "this torch was built without CUDA" if not built else f"torch (CUDA {built}) sees no usable GPU"
        return False, f"{why}; install a CUDA build of torch and an NVIDIA driver to use provider cuda"
    return True, None


def resolve_device(name):
    if name == "cpu":
        return torch.device("cpu")
    if name == "cuda":
        ok, reason = cuda_support()
        if not ok:
            raise ValueError(reason)
        return torch.device("cuda")
    raise ValueError(f"device {name!r} is not valid; allowed: cpu, cuda")


class Model:
    def __init__(self, module, input_names, output_names, device, mode, trace_lazily):
        self.module = module
        self.input_names = input_names
        self.output_names = output_names
        self.device = device
        self.mode = mode
        self._trace_lazily = trace_lazily
        self._traced = {}
        self._fn = module if not trace_lazily else None
        # TorchScript and dynamo predate or dislike inference_mode tensors; no_grad is enough for them.
        self._grad_ctx = torch.inference_mode if mode == "eager" else torch.no_grad

    def to_device_args(self, tensors):
        """Order and move inputs (a dict by name) for a call; not timed."""
        missing = [n for n in self.input_names if n not in tensors]
        if missing:
            raise ValueError(f"missing input(s) {', '.join(missing)}; the model's inputs are {', '.join(self.input_names)}")
        args = tuple(tensors[n].to(self.device) for n in self.input_names)
        self._ensure_ready(args)
        return args

    def _ensure_ready(self, args):
        """torchscript mode traces and freezes for each new input signature, outside any timing."""
        if not self._trace_lazily:
            return
        key = tuple((tuple(a.shape), a.dtype) for a in args)
        if key not in self._traced:
            with torch.no_grad(), warnings.catch_warnings():
                # Shape arithmetic becomes constants in the trace; that is intended for a fixed input signature.
                warnings.simplefilter("ignore", torch.jit.TracerWarning)
                traced = torch.jit.trace(self.module, args, check_trace=False)
                self._traced[key] = torch.jit.freeze(traced.eval())
        self._fn = self._traced[key]

    def call(self, args):
        """One inference; returns when the outputs exist (after device synchronisation)."""
        with self._grad_ctx():
            out = self._fn(*args)
        if self.device.type == "cuda":
            torch.cuda.synchronize()
        return out

    def outputs_by_name(self, out):
        if isinstance(out, torch.Tensor):
            out = (out,)
        if isinstance(out, dict):
            return {str(k): v for k, v in out.items()}
        names = self.output_names or [f"output_{i}" for i in range(len(out))]
        if len(names) != len(out):
            names = [f"output_{i}" for i in range(len(out))]
        return dict(zip(names, out))


def load_graph(spec, buffers, mode, device):
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} is not valid; allowed: {', '.join(MODES)}")
    gm, input_names, output_names = import_graph(spec, buffers)
    if mode == "torchscript" and gm.value_dependent_ops:
        raise ValueError(f"mode torchscript cannot run operator(s) {', '.join(gm.value_dependent_ops)}: a trace would keep the "
                         f"values the first input gave; use mode eager")
    gm = gm.to(device)
    if mode == "compile":
        ok, reason = compile_support()
        if not ok:
            raise ValueError(reason)
        return Model(torch.compile(gm), input_names, output_names, device, mode, False)
    return Model(gm, input_names, output_names, device, mode, mode == "torchscript")


def load_native(zoo, spec, buffers, mode, device):
    """The zoo network as torchvision's own module, with the ONNX file's weights."""
    from .native import build_native
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} is not valid; allowed: {', '.join(MODES)}")
    module, input_names, output_names = build_native(zoo, spec, buffers)
    module = module.to(device)
    if mode == "compile":
        return Model(torch.compile(module), input_names, output_names, device, mode, False)
    return Model(module, input_names, output_names, device, mode, mode == "torchscript")


def load_torchscript(path, mode, device):
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is not a TorchScript file (TorchScript files are zip archives written by torch.jit.save); "
                         f"give a .pt file saved with torch.jit.save, or an .onnx model")
    try:
        module = torch.jit.load(path, map_location=device)
    except Exception as err:  # torch raises RuntimeError with a long C++ trace
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ValueError(f"{path} could not be read as TorchScript by torch {torch.__version__}: {first}; "
                         f"save it with torch.jit.save from this or an older torch version") from None
    if mode == "compile":
        raise ValueError("mode compile applies to ONNX models; a TorchScript file runs in mode eager or torchscript")
    module.eval()
    if mode == "torchscript":
        with contextlib.suppress(Exception):  # freezing is an optimisation; a module that cannot be frozen still runs
            module = torch.jit.freeze(module)
    schema_args = module.forward.schema.arguments[1:]
    return Model(module, [a.name for a in schema_args], [], device, "torchscript", False)
