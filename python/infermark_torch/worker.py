"""The worker's request loop: one request frame in, one reply frame out (docs/worker-protocol.md)."""
import os
import platform
import sys
import time
import traceback

from .framing import ProtocolError, read_frame, write_frame

PROTOCOL_VERSION = 1


class Worker:
    def __init__(self, torch):
        self.torch = torch
        self.model = None
        self.debug = os.environ.get("INFERMARK_WORKER_DEBUG") == "1"

    def info(self, _header, _buffers):
        from .model import compile_support, cuda_support
        cuda_ok, cuda_reason = cuda_support()
        compile_ok, compile_reason = compile_support()
        torch = self.torch
        return {
            "type": "info", "torch": torch.__version__, "python": platform.python_version(),
            "cuda": cuda_ok, "cudaReason": cuda_reason,
            "cudaDevice": torch.cuda.get_device_name(0) if cuda_ok else None,
            "compile": compile_ok, "compileReason": compile_reason,
            "threads": torch.get_num_threads(), "interopThreads": torch.get_num_interop_threads(),
        }, []

    def load(self, header, buffers):
        from .model import load_graph, load_native, load_torchscript, resolve_device
        torch = self.torch
        threads = int(header.get("threads") or 0)
        interop = int(header.get("interopThreads") or 0)
        if interop > 0 and interop != torch.get_num_interop_threads():
            # torch allows this once, before any parallel work: the session's fresh worker is that moment.
            torch.set_num_interop_threads(interop)
        if threads > 0:
            torch.set_num_threads(threads)
        device = resolve_device(header.get("device", "cpu"))
        mode = header.get("mode", "eager")
        t0 = time.perf_counter_ns()
        if header.get("source") == "torchscript":
            self.model = load_torchscript(header["path"], mode, device)
        elif header.get("source") == "onnx":
            self.model = load_graph(header["graph"], buffers, mode, device)
        elif header.get("source") == "native":
            self.model = load_native(header["zoo"], header["graph"], buffers, mode, device)
        else:
            raise ValueError(f"load source {header.get('source')!r} is not valid; allowed: onnx, native, torchscript")
        return {
            "type": "loaded", "loadMs": (time.perf_counter_ns() - t0) / 1e6,
            "inputNames": self.model.input_names, "outputNames": self.model.output_names,
            "threads": torch.get_num_threads(), "interopThreads": torch.get_num_interop_threads(),
        }, []

    def _args(self, header, buffers):
        from .tensors import decode_tensor
        if self.model is None:
            raise ValueError("no model is loaded; send a load request first")
        inputs = header.get("inputs")
        if not isinstance(inputs, dict):
            raise ValueError("request field inputs must be an object of tensors by name")
        return self.model.to_device_args({k: decode_tensor(v, buffers) for k, v in inputs.items()})

    def run(self, header, buffers):
        from .tensors import encode_tensor
        args = self._args(header, buffers)
        out = self.model.call(args)
        out_buffers = []
        outputs = {name: encode_tensor(t, out_buffers) for name, t in self.model.outputs_by_name(out).items()}
        return {"type": "outputs", "outputs": outputs}, out_buffers

    def measure(self, header, buffers):
        from .measure import measure_loop
        args = self._args(header, buffers)
        rule = header.get("rule")
        if not isinstance(rule, dict):
            raise ValueError("request field rule must be a stopping rule object")
        result = measure_loop(lambda: self.model.call(args), rule)
        return dict(result, type="measurement"), []

    def debug_action(self, header, _buffers):
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
            return {"type": "echo", "payload": header.get("payload")}, list(_buffers)
        raise ValueError(f"debug action {action!r} is not valid; allowed: crash, hang, garbage, echo")


HANDLERS = {"info": Worker.info, "load": Worker.load, "run": Worker.run, "measure": Worker.measure, "debug": Worker.debug_action}


def serve(torch):
    # Frames own the real stdout; anything else that prints (torch warnings, C++ logs) goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    inp = sys.stdin.buffer
    worker = Worker(torch)
    write_frame(out, {"type": "ready", "protocol": PROTOCOL_VERSION, "torch": torch.__version__,
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
            # Skip interpreter teardown (torch's takes a noticeable while); nothing is left to flush.
            sys.stderr.flush()
            os._exit(0)
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
