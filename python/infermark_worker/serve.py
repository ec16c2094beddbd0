"""The worker's request loop, the one every Python runtime is served by (docs/worker-protocol.md):
one request frame in, one reply frame out, with the runtime's package imported only when asked for.

One worker may hold several sessions' models at once (the Node side keeps one worker per
process and reuses it across sessions); requests name theirs with `session` (0 when absent)."""
import os
import platform
import sys
import time
import traceback

from . import runtimes
from .framing import ProtocolError, read_frame, write_frame
from .measure import measure_loop

PROTOCOL_VERSION = 2
# Test-only: with INFERMARK_WORKER_DEBUG=1, every run and measure sleeps this many seconds first
# (a hang inside a call, as a runtime that never returns would make).
DEBUG_SLEEP_ENV = "INFERMARK_WORKER_DEBUG_CALL_SLEEP_S"


class Worker:
    def __init__(self, name):
        self.name = name
        self.models = {}
        self._mod = None
        self.debug = os.environ.get("INFERMARK_WORKER_DEBUG") == "1"

    def _module(self):
        """The runtime module; raises with the pip line when a package is missing or does not import."""
        if self._mod is not None:
            return self._mod
        try:
            runtimes.versions(self.name)
        except runtimes.MissingPackage as err:
            raise runtimes.MissingPackage(missing_reason(self.name, str(err))) from None
        try:
            self._mod = runtimes.module(self.name)
        except ImportError as err:
            raise ImportError(broken_reason(self.name, err)) from None
        return self._mod

    def _codec(self):
        from .arrays import decode_array, encode_array
        mod = self._module()
        return getattr(mod, "decode_tensor", decode_array), getattr(mod, "encode_tensor", encode_array)

    def info(self, _header, _buffers):
        """Availability from the installed distributions' metadata, without importing the libraries
        (importing TensorFlow alone takes seconds), except for the runtimes in DESCRIBED. A package
        that is installed but broken fails the load, with its own error."""
        base = {"type": "info", "runtime": self.name, "python": platform.python_version(), "executable": sys.executable}
        try:
            versions = runtimes.versions(self.name)
        except runtimes.MissingPackage as err:
            return dict(base, available=False, missing=str(err), reason=missing_reason(self.name, str(err))), []
        if self.name not in runtimes.DESCRIBED:
            return dict(base, available=True, versions=versions), []
        try:
            facts = self._module().describe()
        except Exception as err:  # an installed library whose native parts do not load
            return dict(base, available=False, broken=True, reason=broken_reason(self.name, err)), []
        return dict(base, **facts, available=True, versions=versions), []

    def load(self, header, buffers):
        mod = self._module()
        model = header.get("model")
        if not isinstance(model, dict) or not (isinstance(model.get("path"), str) or isinstance(model.get("graph"), dict)):
            raise ValueError("request field model must be an object with the model file's path, or a graph")
        if buffers:
            model = dict(model, buffers=buffers)
        settings = header.get("settings") or {}
        t0 = time.perf_counter_ns()
        loaded = mod.load(model, settings, header.get("cacheDir"))
        load_ms = (time.perf_counter_ns() - t0) / 1e6
        self.models[session_of(header)] = loaded
        reply = {"type": "loaded", "loadMs": load_ms, "inputNames": list(loaded.input_names),
                 "outputNames": list(loaded.output_names), "extra": getattr(loaded, "extra", {})}
        specs = getattr(loaded, "input_specs", None)
        if specs:
            reply["inputs"] = specs  # [{name, dtype, shape}] where the model file declares them
        return reply, []

    def release(self, header, _buffers):
        """Forget a session's model; the model may report facts gathered at the end (extra)."""
        model = self.models.pop(session_of(header), None)
        end = getattr(model, "release", None)
        extra = end() if end else None
        return {"type": "released", "extra": extra or {}}, []

    def _model(self, header):
        model = self.models.get(session_of(header))
        if model is None:
            raise ValueError("no model is loaded; send a load request first")
        return model

    def _feeds(self, header, buffers):
        model = self._model(header)
        decode, _ = self._codec()
        inputs = header.get("inputs")
        if not isinstance(inputs, dict):
            raise ValueError("request field inputs must be an object of tensors by name")
        feeds = {k: decode(v, buffers) for k, v in inputs.items()}
        missing = [n for n in model.input_names if n not in feeds]
        if missing:
            raise ValueError(f"missing input(s) {', '.join(missing)}; the model's inputs are {', '.join(model.input_names)}")
        self._debug_sleep()
        return model, model.prepare(feeds)

    def _debug_sleep(self):
        seconds = os.environ.get(DEBUG_SLEEP_ENV) if self.debug else None
        if seconds:
            sys.stderr.write(f"debug: sleeping {seconds} s inside the call\n")
            sys.stderr.flush()
            time.sleep(float(seconds))

    def run(self, header, buffers):
        model, prepared = self._feeds(header, buffers)
        outputs = model.outputs(model.call(prepared))
        _, encode = self._codec()
        out_buffers = []
        reply = {"type": "outputs", "outputs": {k: encode(v, out_buffers) for k, v in outputs.items()}}
        return with_facts(reply, model), out_buffers

    def measure(self, header, buffers):
        model, prepared = self._feeds(header, buffers)
        rule = header.get("rule")
        if not isinstance(rule, dict):
            raise ValueError("request field rule must be a stopping rule object")
        own = getattr(model, "measure", None)
        result = own(prepared, rule) if own else measure_loop(lambda: model.call(prepared), rule)
        return with_facts(dict(result, type="measurement"), model), []

    def bare(self, header, buffers):
        """The control for the worker-overhead benchmark: `runs` calls in a plain loop, one clock read
        before and one after, no per-call bookkeeping."""
        model, prepared = self._feeds(header, buffers)
        runs = int(header.get("runs", 100))
        call = model.call
        t0 = time.perf_counter_ns()
        for _ in range(runs):
            call(prepared)
        return {"type": "bare", "runs": runs, "totalMs": (time.perf_counter_ns() - t0) / 1e6}, []

    def debug_action(self, header, buffers):
        """Failure paths on demand, for the tests of the Node side (INFERMARK_WORKER_DEBUG=1 only)."""
        if not self.debug:
            raise ValueError("debug requests are accepted only with INFERMARK_WORKER_DEBUG=1")
        action = header.get("action")
        sys.stderr.write(f"debug: {action}\n")
        sys.stderr.flush()
        if action == "crash":
            os._exit(int(header.get("code", 3)))
        if action == "hang":
            time.sleep(3600)
        if action == "garbage":
            return None, b"this is not a frame\n"
        if action == "echo":
            return {"type": "echo", "payload": header.get("payload"), "sessions": len(self.models)}, list(buffers)
        raise ValueError(f"debug action {action!r} is not valid; allowed: crash, hang, garbage, echo")

    def close(self):
        end = getattr(self._mod, "close", None)
        if end:
            end()


def session_of(header):
    session = header.get("session", 0)
    if not isinstance(session, int):
        raise ValueError(f"request field session must be an integer, not {session!r}")
    return session


def with_facts(reply, model):
    """Facts the model gathered during this call (torch.compile's first-call time), once."""
    take = getattr(model, "take_facts", None)
    facts = take() if take else None
    if facts:
        reply["extra"] = dict(reply.get("extra") or {}, **facts)
    return reply


def missing_reason(name, dist):
    return (f"{name}: the Python package {dist} is missing from {sys.executable}; "
            f"install it with {runtimes.SETUP_COMMAND} (or: {sys.executable} -m pip install {dist})")


def broken_reason(name, err):
    return (f"{name}: importing its package failed with {sys.executable}: {type(err).__name__}: {err}; "
            f"restore the environment with {runtimes.SETUP_COMMAND}")


HANDLERS = {"info": Worker.info, "load": Worker.load, "run": Worker.run, "measure": Worker.measure,
            "release": Worker.release, "bare": Worker.bare, "debug": Worker.debug_action}


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
            worker.close()
            return
        header, buffers = frame
        kind = header.get("type")
        request_id = header.get("id")
        if kind == "shutdown":
            worker.close()
            write_frame(out, {"type": "bye", "id": request_id})
            sys.stderr.flush()
            os._exit(0)  # skip the libraries' slow teardown (torch's takes a while); nothing is left to flush
        handler = HANDLERS.get(kind)
        try:
            if handler is None:
                raise ValueError(f"request type {kind!r} is not valid; allowed: {', '.join(list(HANDLERS) + ['shutdown'])}")
            reply, reply_buffers = handler(worker, header, buffers)
        except Exception as err:  # every failure becomes an error reply; the worker stays usable
            reply = {"type": "error", "kind": type(err).__name__, "message": str(err) or type(err).__name__,
                     "traceback": traceback.format_exc()}
            reply_buffers = []
        if reply is None:  # the debug "garbage" action
            out.write(reply_buffers)
            out.flush()
            continue
        reply["id"] = request_id
        write_frame(out, reply, reply_buffers)
