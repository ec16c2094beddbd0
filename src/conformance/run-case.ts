/** Running one case on one runtime, in the worker process: load, run every data set, compare. */
import { performance } from 'node:perf_hooks';
import type { Runtime, Session } from '../runtimes/runtime.js';
import type { Settings } from '../results/types.js';
import { compareOutputs } from './compare.js';
import { readAllOutputs } from '../runtimes/read-values.js';
import { valueRefusal } from '../runtimes/value-support.js';
import { modelNeeds, refusedValues } from '../onnx/model-needs.js';
import { decodeModel } from '../onnx/read.js';
import { readFileSync } from 'node:fs';
import { readCaseData } from './data-sets.js';
import type { CaseResult, CaseStatus, ConformanceCase, Tolerance } from './types.js';

/** A session-creation error that says the runtime lacks an operator, attribute or type (vs. a fault). */
const REFUSAL = /cannot run operator|not implemented|not supported|unsupported|could not find an implementation/i;

function oneLine(err: unknown): string {
  const e = err as Error;
  const text = e?.message ?? String(err);
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

export async function runCase(runtime: Runtime, provider: string, settings: Settings, c: ConformanceCase, tol: Tolerance): Promise<CaseResult> {
  const t0 = performance.now();
  const done = (status: CaseStatus, reason?: string): CaseResult => ({
    runtime: runtime.name, test: c.name, operator: c.operator, status, ...(reason ? { reason } : {}), wallMs: performance.now() - t0,
  });
  let data;
  try {
    data = readCaseData(c.dir);
  } catch (err) {
    return done('error', `test data unreadable: ${oneLine(err)}`);
  }
  if (!data.ok) return done('unsupported', data.reason);
  // Element types the runtime's API cannot carry (bfloat16 in onnxruntime's JavaScript Tensor, strings in torch) are known before loading.
  const refused = refusedValues(modelNeeds(decodeModel(readFileSync(`${c.dir}/model.onnx`))), (role, name, elemType) => valueRefusal(runtime.name, role, name, elemType));
  if (refused.length > 0) return done('unsupported', refused.join('; '));
  let session: Session;
  try {
    session = await runtime.createSession({ path: `${c.dir}/model.onnx` }, { provider, settings });
  } catch (err) {
    const why = oneLine(err);
    return done(REFUSAL.test(why) ? 'unsupported' : 'error', `load: ${why}`);
  }
  try {
    const problems: string[] = [];
    for (const set of data.sets) {
      let outs;
      try {
        outs = await readAllOutputs(session, await session.run(session.prepare(set.feeds)));
      } catch (err) {
        // Some refusals can only be made once the inputs are seen (an Einsum equation, a training-mode flag).
        const why = oneLine(err);
        return done(/cannot run operator/i.test(why) ? 'unsupported' : 'error', `run ${set.name}: ${why}`);
      }
      const why = compareOutputs(outs, set.expected, tol);
      if (why) problems.push(data.sets.length > 1 ? `${set.name}: ${why}` : why);
    }
    return problems.length ? done('wrong', problems.join(' | ').slice(0, 500)) : done('pass');
  } finally {
    try { await session.dispose(); } catch { /* a failed dispose does not change the case's result */ }
  }
}
