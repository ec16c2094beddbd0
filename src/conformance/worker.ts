/**
 * The conformance worker: a child process that runs cases on one runtime and
 * reports each result over IPC. The parent times each case from its 'start'
 * message, so a hang or a crash is pinned on the case that caused it.
 */
import { getRuntime } from '../runtimes/registry.js';
import { resolveSettings } from '../runtimes/settings.js';
import type { Settings } from '../results/types.js';
import { runCase } from './run-case.js';
import type { CaseResult, ConformanceCase, Tolerance } from './types.js';

export type ToWorker = { runtime: string; settings: Settings; cases: ConformanceCase[]; tolerance: Tolerance };
export type FromWorker = { type: 'start'; index: number } | { type: 'result'; index: number; result: CaseResult } | { type: 'done' };

function send(msg: FromWorker): Promise<void> {
  return new Promise((resolve) => process.send!(msg, () => resolve()));
}

process.once('message', async (job: ToWorker) => {
  const runtime = await getRuntime(job.runtime);
  const available = (await runtime.availability()).find((p) => p.available);
  const settings = resolveSettings(runtime.name, runtime.settings, job.settings);
  for (const [index, c] of job.cases.entries()) {
    await send({ type: 'start', index });
    const result: CaseResult = available
      ? await runCase(runtime, available.name, settings, c, job.tolerance)
      : { runtime: job.runtime, test: c.name, operator: c.operator, status: 'error', reason: `${job.runtime} is not available here`, wallMs: 0 };
    await send({ type: 'result', index, result });
  }
  await send({ type: 'done' });
  process.exit(0);
});
