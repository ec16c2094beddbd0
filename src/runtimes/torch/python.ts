/**
 * Finding a python that has torch, and what that torch can do. Probed once
 * per process: INFERMARK_PYTHON if set, else the project's .venv, else python3
 * (python-worker/python-env.ts). The worker that answers is the process's
 * shared torch worker, so the sessions that follow reuse it.
 */
import { pythonCandidates, pythonSource, SETUP_REMEDY } from '../python-worker/python-env.js';
import { WorkerFailure, type WorkerClient } from '../python-worker/worker-client.js';
import { sharedWorker } from '../python-worker/worker-pool.js';

/** The process's torch worker for this python and inter-op thread count (torch fixes that count once per process). */
export function torchWorker(python: string, interopThreads = 0, startTimeoutMs = 120_000): WorkerClient {
  return sharedWorker(`torch ${python} interop=${interopThreads}`, { python, runtime: 'torch', startTimeoutMs });
}

export interface TorchProbe {
  python: string;
  pythonVersion: string;
  torchVersion: string;
  cuda: boolean;
  cudaReason?: string;
  cudaDevice?: string;
  compile: boolean;
  compileReason?: string;
}

/** `broken`: a python ran the worker but it hung, crashed or wrote garbage; trials then fail with this reason instead of being skipped. */
export type ProbeResult = { ok: true; probe: TorchProbe } | { ok: false; reason: string; broken?: boolean };

export const REMEDY = SETUP_REMEDY;
export { pythonCandidates };

/** Asks the shared torch worker of `python` for info; a worker that failed is shut down. */
export async function probePython(python: string): Promise<ProbeResult> {
  const worker = torchWorker(python, 0, 60_000);
  try {
    const { header } = await worker.request({ type: 'info' }, [], 60_000);
    const h = header as Record<string, unknown>;
    if (h.available !== true) {
      await worker.close();
      return { ok: false, reason: String(h.reason ?? 'torch is unavailable') };
    }
    return {
      ok: true,
      probe: {
        python,
        pythonVersion: String(h.python),
        torchVersion: String(h.torch),
        cuda: h.cuda === true,
        cudaReason: h.cudaReason ? String(h.cudaReason) : undefined,
        cudaDevice: h.cudaDevice ? String(h.cudaDevice) : undefined,
        compile: h.compile === true,
        compileReason: h.compileReason ? String(h.compileReason) : undefined,
      },
    };
  } catch (err) {
    const missing = err instanceof WorkerFailure && err.missing;
    await worker.close();
    return missing ? { ok: false, reason: (err as Error).message.split('\n')[0] } : { ok: false, reason: (err as Error).message, broken: true };
  }
}

let cached: Promise<ProbeResult> | undefined;

/** The first usable python, or why none is; cached for the process. */
export function findTorch(): Promise<ProbeResult> {
  cached ??= (async (): Promise<ProbeResult> => {
    const reasons: string[] = [];
    for (const python of pythonCandidates()) {
      const r = await probePython(python);
      if (r.ok) return r;
      // A worker that started and then broke is a failure to report, not a reason to wait out another start.
      if (r.broken) return { ok: false, broken: true, reason: `torch: the worker started with ${python} but failed: ${r.reason}` };
      reasons.push(r.reason.split(";")[0]);
    }
    return { ok: false, reason: `torch: no python with torch found (tried ${pythonSource()}: ${reasons.join('; ')}); ${REMEDY}` };
  })();
  return cached;
}
