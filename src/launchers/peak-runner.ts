/**
 * The measured GEMM peak, timed in a fresh runner process with the trial's
 * session options (its thread count among them): never in the sweep's own
 * process, whose heap, threads and probes would weigh on it.
 */
import type { FromRunner, ToRunner } from '../runner/protocol.js';
import type { Runtime, SessionOptions } from '../runtimes/runtime.js';
import type { PeakGemm, PeakTiming } from '../probes/peak.js';
import { spawnRunner } from './local.js';
import { onChildEnd } from './child-exit.js';

/** A peak that takes longer than this is given up on: the efficiency figures then go without it. */
const PEAK_TIMEOUT_MS = 300_000;

export function measurePeakInRunner(runtime: Runtime, options: SessionOptions, gemm: PeakGemm): Promise<PeakTiming> {
  return new Promise((resolve, reject) => {
    const child = spawnRunner();
    let stderr = '';
    child.stderr?.on('data', (c) => { stderr = (stderr + String(c)).slice(-2000); });
    child.stdout?.resume();
    let timing: PeakTiming | undefined;
    let error: string | undefined;
    const timer = setTimeout(() => { error = `the peak did not finish within ${PEAK_TIMEOUT_MS / 1000}s`; child.kill('SIGKILL'); }, PEAK_TIMEOUT_MS);
    child.on('message', (msg: FromRunner) => {
      if (msg.type === 'peak') { const { type: _type, ...t } = msg; timing = t; }
      else if (msg.type === 'error') error = msg.message;
    });
    onChildEnd(child, (code, signal) => {
      clearTimeout(timer);
      if (timing && timing.gflops > 0) resolve(timing);
      else reject(new Error(error ?? `peak runner exited with ${signal ?? `code ${code}`}: ${stderr.trim().split('\n').pop() ?? ''}`));
    });
    child.send({ type: 'peak', runtime: runtime.name, options, gemm } satisfies ToRunner);
  });
}
