"""The runtime worker's request loop: the same frames and requests as the torch worker
(docs/worker-protocol.md), with the runtime's package imported only when asked for."""
import os
import platform
import sys
import time
import traceback

from infermark_torch.framing import ProtocolError, read_frame, write_frame
from infermark_torch.measure import measure_loop

from . import runtimes

PROTOCOL_VERSION = 1


class Worker:
    def __init__(self, name):
        self.name = name
        self.model = None

    def _module(self):
        """The runtime module; raises with the pip line when a package is missing or does not import."""
        try:
            runtimes.versions(self.name)
        except runtimes.MissingPackage as err:
            raise runtimes.MissingPackage(missing_reason(self.name, str(err))) from None
        try:
            return runtimes.module(self.name)
        except ImportError as err:
            raise ImportError(f"{self.name}: importing its package failed with {sys.executable}: {err}; "
                              f"restore the environment with {runtimes.SETUP_COMMAND}") from None

    def info(self, _header, _buffers):
        """Availability from the installed distributions' metadata, without importing the libraries:
        every trial asks, and importing TensorFlow alone takes seconds. A package that is installed
        but broken fails the load, with its own error."""
        base = {"type": "info", "runtime": self.name, "python": platform.python_version(), "executable": sys.executable}
        try:
            versions = runtimes.versions(self.name)
        except runtimes.MissingPackage as err:
            return dict(base, available=False, missing=str(err), reason=missing_reason(self.name, str(err))), []
        return dict(base, available=True, versions=versions), []

    def load(self, header, buffers):
        mod = self._module()
        model = header.get("model")
        if not isinstance(model, dict) or not isinstance(model.get("path"), str):
            raise ValueError("request field model must be an object with the model file's path")
        settings = header.get("settings") or {}
        t0 = time.perf_counter_ns()
        self.model = mod.load(model, settings, header.get("cacheDir"))
        load_ms = (time.perf_counter_ns() - t0) / 1e6
        return {"type": "loaded", "loadMs": load_ms, "inputNames": self.model.input_names,
                "outputNames": self.model.output_names, "extra": getattr(self.model, "extra", {})}, []

    def _feeds(self, header, buffers):
        from .arrays import decode_array
        if self.model is None:
            raise ValueError("no model is loaded; send a load request first")
        inputs = header.get("inputs")
        if not isinstance(inputs, dict):
            raise ValueError("request field inputs must be an object of tensors by name")
        feeds = {k: decode_array(v, buffers) for k, v in inputs.items()}
        missing = [n for n in self.model.input_names if n not in feeds]
        if missing:
            raise ValueError(f"missing input(s) {', '.join(missing)}; the model's inputs are {', '.join(self.model.input_names)}")
        return self.model.prepare(feeds)

    def run(self, header, buffers):
        from .arrays import encode_array
        prepared = self._feeds(header, buffers)
        outputs = self.model.outputs(self.model.call(prepared))
        out_buffers = []
        return {"type": "outputs", "outputs": {k: encode_array(v, out_buffers) for k, v in outputs.items()}}, out_buffers

    def measure(self, header, buffers):
        prepared = self._feeds(header, buffers)
        rule = header.get("rule")
        if not isinstance(rule, dict):
            raise ValueError("request field rule must be a stopping rule object")
        own = getattr(self.model, "measure", None)
        result = own(prepared, rule) if own else measure_loop(lambda: self.model.call(prepared), rule)
        return dict(result, type="measurement"), []

    def bare(self, header, buffers):
        """The control for the worker-overhead benchmark: `runs` calls in a plain loop, one clock read
        before and one after, no per-call bookkeeping."""
        prepared = self._feeds(header, buffers)
        runs = int(header.get("runs", 100))
        call = self.model.call
        t0 = time.perf_counter_ns()
        for _ in range(runs):
            call(prepared)
        return {"type": "bare", "runs": runs, "totalMs": (time.perf_counter_ns() - t0) / 1e6}, []


def missing_reason(name, dist):
    return (f"{name}: the Python package {dist} is missing from {sys.executable}; "
            f"install it with {runtimes.SETUP_COMMAND} (or: {sys.executable} -m pip install {dist})")


HANDLERS = {"info": Worker.info, "load": Worker.load, "run": Worker.run, "measure": Worker.measure, "bare": Worker.bare}


def serve(name):
    # Frames own the real stdout; anything else that prints (library logs) goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    inp = sys.stdin.buffer
    worker = Worker(name)
    write_frame(out, {"type": "ready", "protocol": PROTOCOL_VERSION, "runtime": name,
                      "python": platform.python_version(), "pid": os.getpid()})
    while True:
        try:
            frame = read_frame(inp)
        except ProtocolError as err:
            write_frame(out, {"type": "error", "kind": "protocol", "message": f"worker could not read a request: {err}", "traceback": ""})
            sys.exit(2)
        if frame is None:
            return
        header, buffers = frame
        kind = header.get("type")
        request_id = header.get("id")
        if kind == "shutdown":
            write_frame(out, {"type": "bye", "id": request_id})
            sys.stderr.flush()
            os._exit(0)  # skip the libraries' slow teardown; nothing is left to flush
        handler = HANDLERS.get(kind)
        try:
            if handler is None:
                raise ValueError(f"request type {kind!r} is not valid; allowed: {', '.join(list(HANDLERS) + ['shutdown'])}")
            reply, reply_buffers = handler(worker, header, buffers)
        except Exception as err:  # every failure becomes an error reply; the worker stays usable
            reply = {"type": "error", "kind": type(err).__name__, "message": str(err) or type(err).__name__,
                     "traceback": traceback.format_exc()}
            reply_buffers = []
        reply["id"] = request_id
        write_frame(out, reply, reply_buffers)
