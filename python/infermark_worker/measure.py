"""The measuring loop, run inside the worker so inter-process cost never enters a latency.

Same rule as the Node runner's loop (src/runner/loop.ts): stop when the
minimum count AND the minimum time are reached AND the CI95 of the median is
tight enough relative to the median, or at the time limit (converged False).
"""
import math
import time

Z95 = 1.959963984540054


def clock_cost(pairs=2000):
    """Median cost of two back-to-back clock reads and the smallest non-zero step, in ms."""
    now = time.perf_counter_ns
    deltas = []
    resolution_ns = math.inf
    for _ in range(pairs):
        a = now()
        b = now()
        d = b - a
        deltas.append(d)
        if 0 < d < resolution_ns:
            resolution_ns = d
    deltas.sort()
    return deltas[len(deltas) // 2] / 1e6, (resolution_ns if resolution_ns != math.inf else 1) / 1e6


def median_ci_rel(samples):
    """Half-width of the distribution-free CI95 of the median (order statistics,
    normal approximation to the binomial), relative to the median; inf when too few samples."""
    n = len(samples)
    if n < 6:
        return math.inf
    s = sorted(samples)
    half = Z95 * math.sqrt(n) / 2
    lo = max(0, math.floor(n / 2 - half) - 1)  # 0-based ranks
    hi = min(n - 1, math.ceil(n / 2 + half))
    median = s[n // 2]
    return (s[hi] - s[lo]) / 2 / median if median > 0 else math.inf


def measure_loop(run_once, rule):
    overhead_ms, resolution_ms = clock_cost()
    now = time.perf_counter_ns
    ms = lambda ns: ns / 1e6

    first_ms = 0.0
    # The Node runner may have run the first inference and the warm-up itself, so the window it reports is the measured one.
    if not rule.get("skipFirstRun"):
        t0 = now()
        run_once()
        first_ms = ms(now() - t0)

    warmup_runs = 0
    warmup_max_ns = rule.get("warmupMaxMs")
    warmup_max_ns = math.inf if warmup_max_ns is None else warmup_max_ns * 1e6
    warmup_start = now()
    while warmup_runs < int(rule["warmupRuns"]) and now() - warmup_start < warmup_max_ns:
        run_once()
        warmup_runs += 1

    min_samples, max_samples = int(rule["minSamples"]), int(rule["maxSamples"])
    min_ns, max_ns = rule["minTimeMs"] * 1e6, rule["maxTimeMs"] * 1e6
    target = float(rule["targetCiRel"])
    samples = []
    starts, ends = [], []
    converged = False
    # Sorting for the CI at geometric checkpoints keeps the loop's own cost negligible.
    next_check = min_samples
    window_start = now()
    window_start_epoch_ms = time.time() * 1e3 - ms(now() - window_start)
    while True:
        t0 = now()
        run_once()
        t1 = now()
        samples.append(ms(t1 - t0))
        starts.append(ms(t0 - window_start))
        ends.append(ms(t1 - window_start))
        elapsed = t1 - window_start
        n = len(samples)
        if n >= max_samples:
            converged = median_ci_rel(samples) <= target
            break
        if elapsed >= max_ns:
            converged = n >= min_samples and median_ci_rel(samples) <= target
            break
        if n >= min_samples and elapsed >= min_ns and n >= next_check:
            if median_ci_rel(samples) <= target:
                converged = True
                break
            next_check = math.ceil(n * 1.1)
    return {
        "firstInferenceMs": first_ms,
        "warmupRuns": warmup_runs,
        "samplesMs": samples,
        "converged": converged,
        # The window closes with the last call, as in the Node loop.
        "measuredS": ends[-1] / 1e3,
        "callStartMs": starts,
        "callEndMs": ends,
        "windowStartEpochMs": window_start_epoch_ms,
        "timerOverheadMs": overhead_ms,
        "timerResolutionMs": resolution_ms,
    }
