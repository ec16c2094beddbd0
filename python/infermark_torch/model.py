"""A loaded model ready to run: an imported ONNX graph in one of the modes
(eager, torchscript, compile) or a TorchScript file, on one device."""
import contextlib
import time
import warnings
import zipfile

import torch

from .importer import import_graph

MODES = ("eager", "torchscript", "compile")
# torch's own thread count at start-up: what a session asking for 0 threads gets back.
DEFAULT_THREADS = torch.get_num_threads()


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


def set_tf32(enabled):
    """TensorFloat-32 on or off for CUDA matrix products and convolutions. torch keeps this per
    process and lets cuDNN convolutions use TF32 by default, which changes FP32 results (ResNet-50
    logits by up to 1.5 on an H200); infermark's default is FP32 as ONNX specifies it."""
    precision = "tf32" if enabled else "ieee"
    if hasattr(torch.backends.cuda.matmul, "fp32_precision"):
        # torch >= 2.9 refuses a mix of this and the legacy allow_tf32 flags in one process.
        torch.backends.cuda.matmul.fp32_precision = precision
        torch.backends.cudnn.conv.fp32_precision = precision
        torch.backends.cudnn.rnn.fp32_precision = precision
    else:
        torch.backends.cuda.matmul.allow_tf32 = enabled
        torch.backends.cudnn.allow_tf32 = enabled


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
    """input_names, output_names, prepare, call, outputs: what the worker's request loop drives
    (python/infermark_worker/serve.py). input_specs: [{name, dtype, shape}] when the model file
    declares them and the Node side cannot read them itself (a .pt2 program, a factory file)."""

    input_specs = None

    def __init__(self, module, input_names, output_names, device, mode, trace_lazily, threads=0):
        self.module = module
        self.input_names = input_names
        self.output_names = output_names
        self.device = device
        self.mode = mode
        self.threads = threads
        self.tf32 = False
        self.extra = {}
        self._trace_lazily = trace_lazily
        self._traced = {}
        self._fn = module if not trace_lazily else None
        # TorchScript and dynamo predate or dislike inference_mode tensors; no_grad is enough for them.
        self._grad_ctx = torch.inference_mode if mode == "eager" else torch.no_grad
        # mode compile: the first call compiles (timed: the cold figure); release() compiles again warm.
        self._compiled_from = None
        self._cold_pending = False
        self._facts = {}
        self._last_args = None

    def compiled(self, source):
        """Run `source` through torch.compile; its first call is timed as the cold compile."""
        self._compiled_from = source
        self._fn = torch.compile(source)
        self._cold_pending = True
        return self

    def prepare(self, tensors):
        """Order and move inputs (a dict by name) for a call; not timed."""
        missing = [n for n in self.input_names if n not in tensors]
        if missing:
            raise ValueError(f"missing input(s) {', '.join(missing)}; the model's inputs are {', '.join(self.input_names)}")
        # One worker serves many sessions: each runs with its own thread count (0: the worker's default).
        wanted = self.threads or DEFAULT_THREADS
        if torch.get_num_threads() != wanted:
            torch.set_num_threads(wanted)
        if self.device.type == "cuda":
            set_tf32(self.tf32)
        args = tuple(tensors[n].to(self.device) for n in self.input_names)
        self._ensure_ready(args)
        if self._compiled_from is not None:
            self._last_args = args
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

    def take_facts(self):
        """Facts gathered by calls since the last ask (the cold compile's time), for the reply."""
        facts, self._facts = self._facts, {}
        return facts

    def release(self):
        """The end of the session. In mode compile: compile again with every cache warm (dynamo's
        state reset, inductor's caches from the cold compile kept) and time that first call."""
        if self._compiled_from is None or self._last_args is None or self._cold_pending:
            return {}
        torch._dynamo.reset()
        self._fn = torch.compile(self._compiled_from)
        t0 = time.perf_counter_ns()
        self._call(self._last_args)
        return {"compileWarmMs": (time.perf_counter_ns() - t0) / 1e6}

    def call(self, args):
        """One inference; returns when the outputs exist (after device synchronisation)."""
        if self._cold_pending:
            t0 = time.perf_counter_ns()
            out = self._call(args)
            self._cold_pending = False
            self._facts["compileColdMs"] = (time.perf_counter_ns() - t0) / 1e6
            return out
        return self._call(args)

    def _call(self, args):
        with self._grad_ctx():
            out = self._fn(*args)
        if self.device.type == "cuda":
            torch.cuda.synchronize()
        return out

    def outputs(self, out):
        """Outputs of call by name (output_N where the model names none)."""
        if isinstance(out, torch.Tensor):
            out = (out,)
        if isinstance(out, dict):
            return {str(k): v for k, v in out.items()}
        names = self.output_names or [f"output_{i}" for i in range(len(out))]
        if len(names) != len(out):
            names = [f"output_{i}" for i in range(len(out))]
        return dict(zip(names, out))


def check_mode(mode):
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} is not valid; allowed: {', '.join(MODES)}")
    if mode == "compile":
        ok, reason = compile_support()
        if not ok:
            raise ValueError(reason)


def module_model(module, input_names, output_names, device, mode, threads):
    """A torch.nn.Module (imported graph, native network, factory-built) as a Model in `mode`."""
    module = module.to(device)
    if mode == "compile":
        return Model(module, input_names, output_names, device, mode, False, threads).compiled(module)
    return Model(module, input_names, output_names, device, mode, mode == "torchscript", threads)


def load_graph(spec, buffers, mode, device, threads=0):
    check_mode(mode)
    gm, input_names, output_names = import_graph(spec, buffers)
    if mode == "torchscript" and gm.value_dependent_ops:
        raise ValueError(f"mode torchscript cannot run operator(s) {', '.join(gm.value_dependent_ops)}: a trace would keep the "
                         f"values the first input gave; use mode eager")
    return module_model(gm, input_names, output_names, device, mode, threads)


def load_native(zoo, spec, buffers, mode, device, threads=0):
    """The zoo network as torchvision's own module, with the ONNX file's weights."""
    from .native import build_native
    check_mode(mode)
    module, input_names, output_names = build_native(zoo, spec, buffers)
    return module_model(module, input_names, output_names, device, mode, threads)


def load_torchscript(path, mode, device, threads=0):
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
    return Model(module, [a.name for a in schema_args], [], device, "torchscript", False, threads)
