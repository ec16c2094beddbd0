"""OpenVINO on the CPU, reading ONNX directly. The performance hint picks latency or
throughput tuning; in throughput modes the trial drives OpenVINO's async infer requests,
as its own benchmark_app does, and counts completed items over the window's wall time."""
import os
import time

import openvino as ov

from .common import ArrayModel, cache_folder, int_setting

HINTS = {"latency": "LATENCY", "throughput": "THROUGHPUT", "cumulative_throughput": "CUMULATIVE_THROUGHPUT"}
PRECISIONS = ("f32", "bf16", "f16")



class OpenVinoModel(ArrayModel):
    def __init__(self, compiled, hint, requests, extra):
        self.compiled = compiled
        self.hint = hint
        self.requests = requests
        self.input_names = [p.get_any_name() for p in compiled.inputs]
        self.output_names = [p.get_any_name() for p in compiled.outputs]
        self.request = compiled.create_infer_request()
        self.extra = extra

    def call(self, feeds):
        self.request.infer(feeds)
        return [self.request.get_output_tensor(i).data.copy() for i in range(len(self.output_names))]

    def measure(self, feeds, rule):
        if self.hint == "latency":
            return _sync_measure(self, feeds, rule)
        return _async_measure(self, feeds, rule)


def _sync_measure(model, feeds, rule):
    from infermark_worker.measure import measure_loop
    request = model.request
    return measure_loop(lambda: request.infer(feeds), rule)


def _async_measure(model, feeds, rule):
    """Keep every infer request busy; a sample is one request's latency (submit to completion),
    and the figure that counts is items completed over the window's wall time."""
    from infermark_worker.measure import clock_cost
    overhead_ms, resolution_ms = clock_cost()
    queue = ov.AsyncInferQueue(model.compiled, model.requests)
    done = []
    queue.set_callback(lambda _req, started: done.append((started, time.perf_counter_ns())))
    now = time.perf_counter_ns

    t0 = now()
    model.request.infer(feeds)
    first_ms = (now() - t0) / 1e6
    warmup = max(int(rule["warmupRuns"]), model.requests)
    warm_limit = rule.get("warmupMaxMs")
    warm_start = now()
    for _ in range(warmup):
        queue.start_async(feeds, now())
        if warm_limit is not None and now() - warm_start > warm_limit * 1e6:
            break
    queue.wait_all()
    warmup_runs = len(done)
    done.clear()

    min_n, max_n = int(rule["minSamples"]), int(rule["maxSamples"])
    min_ns, max_ns = rule["minTimeMs"] * 1e6, rule["maxTimeMs"] * 1e6
    window_start = now()
    submitted = 0
    while True:
        elapsed = now() - window_start
        if submitted >= max_n or elapsed >= max_ns or (len(done) >= min_n and elapsed >= min_ns):
            break
        queue.start_async(feeds, now())  # blocks while every request is busy
        submitted += 1
    queue.wait_all()
    window_s = (now() - window_start) / 1e9
    samples = [(end - start) / 1e6 for start, end in done]
    # Requests overlap: each call's own start and end, from the window's start, are what the
    # parent counts items over the window from (completed calls x batch / window).
    return {
        "firstInferenceMs": first_ms, "warmupRuns": warmup_runs, "samplesMs": samples,
        "converged": len(samples) >= min_n, "measuredS": window_s,
        "timerOverheadMs": overhead_ms, "timerResolutionMs": resolution_ms,
        "callStartMs": [(start - window_start) / 1e6 for start, _ in done],
        "callEndMs": [(end - window_start) / 1e6 for _, end in done],
    }


def load(model, settings, cache_dir):
    hint = settings.get("hint", "latency")
    if hint not in HINTS:
        raise ValueError(f"openvino.hint {hint!r} is not valid; allowed: {', '.join(HINTS)}")
    precision = settings.get("precision", "f32")
    if precision not in PRECISIONS:
        raise ValueError(f"openvino.precision {precision!r} is not valid; allowed: {', '.join(PRECISIONS)}")
    config = {"PERFORMANCE_HINT": HINTS[hint], "INFERENCE_PRECISION_HINT": precision}
    streams = int_setting(settings, "streams")
    if streams > 0:
        config["NUM_STREAMS"] = str(streams)
    threads = int_setting(settings, "threads")
    if threads > 0:
        config["INFERENCE_NUM_THREADS"] = str(threads)
    requests = int_setting(settings, "requests")
    if requests > 0:
        config["PERFORMANCE_HINT_NUM_REQUESTS"] = str(requests)
    extra = {}
    folder = cache_folder(cache_dir, "openvino", "blobs") if settings.get("cache", "on") == "on" else None
    if folder:
        config["CACHE_DIR"] = folder
        before = set(os.listdir(folder))
    core = ov.Core()
    compiled = core.compile_model(core.read_model(model["path"]), "CPU", config)
    if folder:
        extra["loadKind"] = "cold" if set(os.listdir(folder)) - before else "warm"
    optimal = int(compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
    extra["streams"] = int(compiled.get_property("NUM_STREAMS"))
    used = compiled.get_property("INFERENCE_PRECISION_HINT")
    extra["inferencePrecision"] = used.get_type_name() if hasattr(used, "get_type_name") else str(used)
    n_requests = requests if requests > 0 else max(1, optimal)
    extra["inferRequests"] = n_requests if hint != "latency" else 1
    return OpenVinoModel(compiled, hint, n_requests, extra)
