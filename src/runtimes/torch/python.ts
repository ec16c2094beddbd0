/**
 * Finding a python that has torch, and what that torch can do. Probed once
 * per process: INFERMARK_PYTHON if set, else the project's .venv, else python3
 * (python-worker/python-env.ts).
 */
import { pythonCandidates, pythonSource, SETUP_REMEDY } from '../python-worker/python-env.js';
import { WorkerClient, WorkerFailure } from './worker-client.js';

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

/** Starts a worker with `python` and asks it for info; the worker is always shut down. */
export async function probePython(python: string): Promise<ProbeResult> {
  const worker = new WorkerClient({ python, startTimeoutMs: 60_000 });
  try {
    const { header } = await worker.request({ type: 'info' }, [], 60_000);
    const h = header as Record<string, unknown>;
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
    return missing ? { ok: false, reason: (err as Error).message.split('\n')[0] } : { ok: false, reason: (err as Error).message, broken: true };
  } finally {
    await worker.close();
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
